package dev.weft.server.metrics;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.SensorMode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusEngineMetricsTest {
    private final PrometheusMeterRegistry registry = PrometheusEngineMetrics.newRegistry();
    private final PrometheusEngineMetrics metrics = new PrometheusEngineMetrics(registry);

    @Test
    void triesAreCountedByDagTaskAndStateUnderAirflowsNames() {
        metrics.triesWritten(List.of(written("a", TaskState.SUCCESS), written("b", TaskState.UP_FOR_RETRY),
                written("b", TaskState.FAILED), written("a", TaskState.SUCCESS), written("s",
                        TaskState.UP_FOR_RESCHEDULE)));
        assertThat(registry.scrape()).contains(
                "weft_ti_finish_total{dag_id=\"d\",state=\"success\",task_id=\"a\"} 2",
                "weft_ti_finish_total{dag_id=\"d\",state=\"up_for_retry\",task_id=\"b\"} 1",
                "weft_ti_finish_total{dag_id=\"d\",state=\"failed\",task_id=\"b\"} 1",
                "weft_ti_finish_total{dag_id=\"d\",state=\"up_for_reschedule\",task_id=\"s\"} 1",
                "weft_ti_successes_total{dag_id=\"d\",task_id=\"a\"} 2",
                "weft_ti_failures_total{dag_id=\"d\",task_id=\"b\"} 2")
                .doesNotContain("weft_ti_successes_total{dag_id=\"d\",task_id=\"s\"}",
                        "weft_ti_failures_total{dag_id=\"d\",task_id=\"s\"}");
    }

    private static FinishFollowUp.Written written(String taskId, TaskState state) {
        return new FinishFollowUp.Written(1, 1, "d", taskId, state);
    }
}
