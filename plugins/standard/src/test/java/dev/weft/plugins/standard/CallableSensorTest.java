package dev.weft.plugins.standard;

import dev.weft.plugins.standard.fixtures.Checks;
import dev.weft.plugins.standard.fixtures.Supermarkets;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallableSensorTest {
    private static final String WAIT = Supermarkets.class.getName() + "::waitForSupermarket";
    private final CallableSensorFactory factory = new CallableSensorFactory();
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("listing_6_04_dag01")
            .taskId("wait_for_supermarket_1").build();

    @Test
    void thePromotionRuleNeedsADataFileAndSuccess(@TempDir Path data) throws Exception {
        var sensor = SensorHarness.of(factory, Map.of("callable", WAIT,
                "op_kwargs", Map.of("data_root", data.toString(), "supermarket_id_", "supermarket1")), ctx);
        Path dir = Files.createDirectories(data.resolve("supermarket1"));
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);

        Files.createFile(dir.resolve("_SUCCESS"));
        assertThat(sensor.poke()).as("_SUCCESS alone is not enough").isInstanceOf(PokeResult.NotYet.class);

        Files.delete(dir.resolve("_SUCCESS"));
        Files.writeString(dir.resolve("data-01.csv"), "id,promo\n");
        assertThat(sensor.poke()).as("data without _SUCCESS is still uploading").isInstanceOf(PokeResult.NotYet.class);

        Files.createFile(dir.resolve("_SUCCESS"));
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
        assertThat(ctx.logLines()).contains("INFO Callable returned false (not yet)", "INFO Callable returned true (ready)");
    }

    @Test
    void theUsersKwargTypoFailsTheDagLoadNamingBothNames() {
        assertThatThrownBy(() -> SensorHarness.of(factory, Map.of("callable", WAIT,
                "op_kwargs", Map.of("data_root", "/data", "supermarket_id", "supermarket1")), ctx))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("'supermarket_id'")
                .hasMessageContaining("'supermarket_id_'")
                .hasMessageContaining("did you mean 'supermarket_id_' instead of 'supermarket_id'?");
    }

    @ParameterizedTest(name = "{0} → ready={1}")
    @CsvSource({
            "null, false", "false, false", "true, true", "zero, false", "zero_double, false", "one, true",
            "empty_string, false", "False_string, true", "empty_list, false", "list, true", "empty_map, false",
            "map, true", "empty_optional, false", "optional, true", "empty_stream, false", "stream, true",
            "object, true", "duration, true"})
    void readinessFollowsPythonTruthiness(String kind, boolean ready) throws Exception {
        PokeResult result = SensorHarness.pokeOnce(factory, Map.of("callable", Checks.class.getName() + "::value",
                "op_args", java.util.List.of(kind)), ctx);
        assertThat(result).isInstanceOf(ready ? PokeResult.Ready.class : PokeResult.NotYet.class);
    }

    @Test
    void aReturnedPokeResultIsUsedAsItIsAndTheSensorContextIsGiven() throws Exception {
        var sensor = SensorHarness.of(factory, Map.of("callable", Checks.class.getName() + "::later"), ctx);
        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet(Duration.ofSeconds(5), "not before the second poke"));
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready(Map.of("poke", 2)));
    }
}
