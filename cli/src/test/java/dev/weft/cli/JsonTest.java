package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void readsAndWritesRealTypes() throws Exception {
        Object v = Json.parse(" {\"a\": 1, \"b\": [true, null, 2.5, \"x\\n\\u00e9\"], \"c\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", 1L, "b", java.util.Arrays.asList(true, null,
                new java.math.BigDecimal("2.5"), "x\né"), "c", Map.of()));
        assertThat(Json.write(v)).isEqualTo("{\"a\":1,\"b\":[true,null,2.5,\"x\\né\"],\"c\":{}}");
        assertThat(Json.parse(Json.pretty(v))).isEqualTo(v);
    }

    @Test
    void errorsNameThePosition() {
        assertThatThrownBy(() -> Json.parse("{\"a\":\n 1,}")).hasMessageContaining("line 2, column 4");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1")).hasMessageContaining("line 1, column")
                .hasMessageEndingWith("(opened at line 1, column 1)").hasMessageNotContaining("Source");
        assertThatThrownBy(() -> Json.parse("{'a': 1}")).hasMessageContaining("column 2");
        assertThatThrownBy(() -> Json.parse("1 2")).hasMessageContaining("column 3");
    }

    @Test
    void confMustBeAnObject() {
        assertThat(OptionValues.conf("{\"supermarket_id\":1}")).isEqualTo(Map.of("supermarket_id", 1L));
        assertThatThrownBy(() -> OptionValues.conf("[]")).isInstanceOf(CliException.class)
                .extracting(e -> ((CliException) e).exitCode).isEqualTo(2);
        assertThatThrownBy(() -> OptionValues.conf("{")).hasMessageContaining("--conf is not valid JSON");
    }

    @Test
    void recordsAreWrittenByTheirJsonNames() {
        var body = Json.toMap(new dev.weft.api.model.TriggerDagRun("r1", null, null, null, null, Map.of(), null));
        assertThat(body).containsEntry("dag_run_id", "r1").containsKey("logical_date");
        assertThat(OptionValues.iso(OptionValues.date("2026-11-24", "x"))).isEqualTo("2026-11-24T00:00:00+00:00");
    }

    @Test
    void responsesAreReadAsTheirRecords() throws Exception {
        Object json = Json.parse("""
                {"dag_id": "d", "is_paused": true, "owners": ["a"], "max_active_runs": 16, "unknown": 1,
                 "tags": [{"name": "t"}], "schedule_interval": {"__type": "CronExpression", "value": "@daily"}}""");
        var dag = Json.as(dev.weft.api.model.Dag.class, json);
        assertThat(dag.dagId()).isEqualTo("d");
        assertThat(dag.isPaused()).isTrue();
        assertThat(dag.owners()).containsExactly("a");
        assertThat(dag.maxActiveRuns()).isEqualTo(16);
        assertThat(dag.tags()).containsExactly(new dev.weft.api.model.Tag("t"));
        assertThat(dag.scheduleInterval()).isEqualTo(new dev.weft.api.model.ScheduleInterval.CronExpression("@daily"));
        assertThat(dag.isSubdag()).isFalse(); // absent primitive
        assertThat(dag.nextDagrun()).isNull();

        var ti = Json.as(dev.weft.api.model.TaskInstance.class, Json.parse("{\"try_number\": 2, \"duration\": 1.5}"));
        assertThat(ti.tryNumber()).isEqualTo(2);
        assertThat(ti.duration()).isEqualTo(1.5);
    }

    @Test
    void aResponseBreakingItsContractIsAServerError() throws Exception {
        Object json = Json.parse("{\"dag_id\": 1}");
        assertThatThrownBy(() -> Json.as(dev.weft.api.model.Dag.class, json)).isInstanceOf(CliException.class)
                .hasMessage("the server sent an unexpected response: Dag.dag_id is not String but '1'")
                .extracting(e -> ((CliException) e).exitCode).isEqualTo(CliException.SERVER);
        assertThatThrownBy(() -> Json.as(dev.weft.api.model.Dag.class, Json.parse("{\"owners\": \"a\"}")))
                .hasMessageContaining("Dag.owners is not a list");
        assertThatThrownBy(() -> Json.as(dev.weft.api.model.Dag.class, Json.parse(
                "{\"schedule_interval\": {\"__type\": \"Nope\"}}")))
                .hasMessageContaining("Dag.schedule_interval.__type is not one of the names of ScheduleInterval");
    }
}
