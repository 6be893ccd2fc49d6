package dev.weft.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SensorWaitsTest {
    private static final Instant LOGICAL = Instant.parse("2026-12-05T18:00:00Z");

    @Test
    void anExternalSensorLooksAtItsOwnLogicalDateShiftedByTheDelta() {
        SensorWaits.External same = SensorWaits.external(Map.of("external_dag_id", "figure_6_20_dag_1",
                "external_task_id", "copy"), LOGICAL);
        assertThat(same.logicalDate()).isEqualTo(LOGICAL);
        assertThat(same.tasksText()).isEqualTo("copy");

        SensorWaits.External shifted = SensorWaits.external(Map.of("external_dag_id", "figure_6_20_dag_1",
                "external_task_ids", List.of("a", "b"), "execution_delta", "PT2H"), LOGICAL);
        assertThat(shifted.logicalDate()).isEqualTo(Instant.parse("2026-12-05T16:00:00Z"));
        assertThat(shifted.dateRule()).isEqualTo("this run's logical date − 2 h");
        assertThat(shifted.tasksText()).isEqualTo("a, b");

        SensorWaits.External seconds = SensorWaits.external(Map.of("external_dag_id", "d", "execution_delta", 90),
                LOGICAL);
        assertThat(seconds.logicalDate()).isEqualTo(LOGICAL.minusSeconds(90));
        assertThat(seconds.tasksText()).isEqualTo("the whole run");
    }

    @Test
    void aDateFunctionOrNoExternalDagIsSaidSo() {
        SensorWaits.External fn = SensorWaits.external(Map.of("external_dag_id", "d",
                "execution_date_fn", "x.Y::dates"), LOGICAL);
        assertThat(fn.logicalDate()).isNull();
        assertThat(fn.dateRule()).contains("x.Y::dates");
        SensorWaits.External template = SensorWaits.external(Map.of("external_dag_id", "d",
                "execution_date", "{{ macros.ds_add(ds, -1) }}"), LOGICAL);
        assertThat(template.logicalDate()).isNull();
        assertThat(template.dateRule()).contains("execution_date").contains("macros.ds_add(ds, -1)");
        assertThat(SensorWaits.external(Map.of("filepath", "/data/x.csv"), LOGICAL)).isNull();
        assertThat(SensorWaits.duration("soon")).isNull();
        assertThat(SensorWaits.duration("3600")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aFailedOrTimedOutSensorsLastAnswerSaysSo() {
        assertThat(SensorWaits.lastAnswer(List.of("INFO Poking for task [p]", "ERROR DAG 'd' has no run at T",
                "ERROR Sensor failed: DAG 'd' has no run at T"))).isEqualTo("Sensor failed: DAG 'd' has no run at T");
        assertThat(SensorWaits.lastAnswer(List.of("INFO Not yet; next poke at T1",
                "ERROR Sensor has timed out: 600 s since the first poke"))).startsWith("Sensor has timed out: 600 s");
    }

    @Test
    void theLastAnswerIsTheLatestPokeOutcomeInTheLog() {
        assertThat(SensorWaits.lastAnswer(List.of("INFO Poking", "INFO Not yet (no match); next poke at T1",
                "INFO Poking", "INFO Not yet (1 match); next poke at T2"))).isEqualTo("Not yet (1 match)");
        assertThat(SensorWaits.lastAnswer(List.of("INFO Poking", "INFO Not yet (no match); next poke at T1",
                "INFO \u2026 the same answer 3 more times, the last at T4"))).isEqualTo("Not yet (no match)");
        assertThat(SensorWaits.lastAnswer(List.of("INFO Not yet; next poke at T1",
                "INFO Condition met after 2 poke(s)"))).isEqualTo("Condition met after 2 poke(s)");
        assertThat(SensorWaits.lastAnswer(List.of("INFO Poking"))).isNull();
    }
}
