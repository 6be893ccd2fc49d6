package dev.weft.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private static Dag dag(ScheduleInterval schedule) {
        return new Dag("d", "d", null, false, true, false, null, null, null, null, null, "grid", "f", "t",
                List.of("weft"), null, schedule, "At 00:00", List.of(new Tag("x")), 16, 16, false, false, null, null,
                null, null, null);
    }

    @Test
    void schedulesCarryAirflowsTypeDiscriminator() throws Exception {
        JsonNode cron = mapper.valueToTree(dag(new ScheduleInterval.CronExpression("0 0 * * *")));
        assertThat(cron.get("schedule_interval").toString())
                .isEqualTo("{\"__type\":\"CronExpression\",\"value\":\"0 0 * * *\"}");
        JsonNode delta = mapper.valueToTree(dag(new TimeDelta(1, 3600, 0)));
        assertThat(delta.get("schedule_interval").toString())
                .isEqualTo("{\"__type\":\"TimeDelta\",\"days\":1,\"seconds\":3600,\"microseconds\":0}");
        assertThat(mapper.readValue(delta.get("schedule_interval").toString(), ScheduleInterval.class))
                .isEqualTo(new TimeDelta(1, 3600, 0));
    }

    @Test
    void detailsAreTheDagFieldsPlusTheirOwn() {
        DagDetail detail = new DagDetail(dag(null), "UTC", true, "LR", 16, null, new TimeDelta(0, 60, 0), null, null,
                Map.of(), null, null, null, null, false);
        JsonNode json = mapper.valueToTree(detail);
        assertThat(json.has("dag") ).isFalse();
        assertThat(json.get("dag_id").asText()).isEqualTo("d");
        assertThat(json.get("timezone").asText()).isEqualTo("UTC");
        assertThat(json.get("dag_run_timeout").get("__type").asText()).isEqualTo("TimeDelta");
        assertThat(json.get("schedule_interval").isNull()).isTrue();
    }

    @Test
    void requestsReadSnakeCase() throws Exception {
        TriggerDagRun trigger = mapper.readValue("{\"dag_run_id\":\"r\",\"conf\":{\"a\":1}}", TriggerDagRun.class);
        assertThat(trigger.dagRunId()).isEqualTo("r");
        assertThat(trigger.conf()).containsEntry("a", 1);
    }
}
