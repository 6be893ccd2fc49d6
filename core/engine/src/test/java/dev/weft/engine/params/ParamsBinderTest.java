package dev.weft.engine.params;

import dev.weft.spi.InvalidParamsException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamsBinderTest {
    record Example(String filepath, boolean recursive, Duration pokeInterval, List<String> names, int count) {
        Example {
            if (filepath == null) {
                throw new InvalidParamsException("filepath", "is required");
            }
        }
    }

    @Test
    void bindsSnakeCaseNamesDurationsAndLists() {
        Example e = ParamsBinder.bind(Map.of("filepath", "/data/x", "recursive", true, "poke_interval", 30,
                "names", List.of("a", "b"), "count", 2L), Example.class);
        assertThat(e).isEqualTo(new Example("/data/x", true, Duration.ofSeconds(30), List.of("a", "b"), 2));
        assertThat(ParamsBinder.bind(Map.of("filepath", "f", "poke_interval", "PT5M", "count", 1), Example.class).pokeInterval())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void namesAnUnknownParamAndListsTheKnownOnes() {
        assertThatThrownBy(() -> ParamsBinder.bind(Map.of("filepath", "f", "count", 1, "recursiv", true), Example.class))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("recursiv: unknown param for Example; known: count, filepath, names, poke_interval, recursive");
    }

    @Test
    void namesAMistypedParamAndTheExpectedType() {
        assertThatThrownBy(() -> ParamsBinder.bind(Map.of("filepath", "f", "count", "many"), Example.class))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("count: expected an integer");
        assertThatThrownBy(() -> ParamsBinder.bind(Map.of("filepath", "f", "count", 1, "names", "a"), Example.class))
                .hasMessageContaining("names: expected a list");
    }

    @Test
    void reportsTheRecordsOwnChecks() {
        assertThatThrownBy(() -> ParamsBinder.bind(Map.of("count", 1), Example.class))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessage("filepath: is required");
    }
}
