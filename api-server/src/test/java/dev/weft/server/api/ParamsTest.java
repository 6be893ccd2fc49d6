package dev.weft.server.api;

import dev.weft.server.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamsTest {
    @Test
    void pageLimitsFollowAirflow() {
        assertThat(Params.limit(null)).isEqualTo(100);
        assertThat(Params.limit("0")).isEqualTo(100);
        assertThat(Params.limit("7")).isEqualTo(7);
        assertThat(Params.limit("5000")).isEqualTo(100);
        assertThatThrownBy(() -> Params.limit("-1")).isInstanceOf(ApiException.class)
                .hasMessage("Page limit must be a positive integer");
        assertThatThrownBy(() -> Params.offset("-1")).isInstanceOf(ApiException.class);
    }

    @Test
    void datesNeedAnOffsetAndSurviveAnUnencodedPlus() {
        Instant t = Instant.parse("2026-11-20T00:00:00Z");
        assertThat(Params.date("d", "2026-11-20T00:00:00+00:00")).isEqualTo(t);
        assertThat(Params.date("d", "2026-11-20T00:00:00 00:00")).isEqualTo(t);
        assertThat(Params.date("d", "2026-11-20T01:00:00+01:00")).isEqualTo(t);
        assertThatThrownBy(() -> Params.date("d", "2026-11-20T00:00:00")).hasMessageStartingWith(
                "Naive datetime is disallowed");
        assertThatThrownBy(() -> Params.date("d", "soon")).hasMessageContaining("is not a 'date-time'");
    }

    @Test
    void orderByIsCheckedAgainstTheAllowedFields() {
        var paging = Params.paging(10, 0, "-dag_id", List.of("dag_id"), "dag_id");
        assertThat(paging.descending()).isTrue();
        assertThat(paging.sort()).isEqualTo("dag_id");
        assertThatThrownBy(() -> Params.paging(10, 0, "owner", List.of("dag_id"), "dag_id"))
                .hasMessage("Ordering with 'owner' is disallowed or the attribute does not exist on the model");
    }

    @Test
    void listsRepeatAndSplitOnCommas() {
        assertThat(Params.list(List.of("a,b", "c"))).containsExactly("a", "b", "c");
        assertThat(Params.list(List.of())).isNull();
    }
}
