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
                "weft_ti_successes_total{dag_id=\"d\",task_id=\"a\"} 2",
                "weft_ti_failures_total{dag_id=\"d\",task_id=\"b\"} 2")
                .as("a sensor that waits on has not ended its try: no series of its own")
                .doesNotContain("weft_ti_finish_total{dag_id=\"d\",state=\"up_for_reschedule\"",
                        "weft_ti_successes_total{dag_id=\"d\",task_id=\"s\"}",
                        "weft_ti_failures_total{dag_id=\"d\",task_id=\"s\"}");
    }

    @Test
    void runsPassesWriteBacksAndSensorsAreTimedAndCounted() {
        metrics.runFinished("d", RunState.SUCCESS, Duration.ofSeconds(3));
        metrics.runFinished("d", RunState.FAILED, Duration.ofSeconds(1));
        metrics.schedulerLoop(Duration.ofMillis(20));
        metrics.writeBack(5, Duration.ofMillis(4));
        metrics.writeBack(1, Duration.ofMillis(2));
        metrics.sensorPoked(SensorMode.RESCHEDULE);
        metrics.sensorPoked(SensorMode.POKE);
        metrics.sensorPoked(SensorMode.POKE);
        metrics.sensorWoken(EngineMetrics.WakeCause.FILE_EVENT);
        metrics.sensorWoken(EngineMetrics.WakeCause.POLL);
        metrics.sensorWoken(EngineMetrics.WakeCause.POLL);
        metrics.wakeupSent("weft_queued");
        metrics.wakeupReceived("weft_queued");
        metrics.wakeupReceived("weft_queued");
        metrics.dagFilesProcessed(Duration.ofMillis(150));
        assertThat(registry.scrape()).contains(
                "weft_dagrun_duration_seconds_count{dag_id=\"d\",state=\"success\"} 1",
                "weft_dagrun_duration_seconds_sum{dag_id=\"d\",state=\"success\"} 3.0",
                "weft_dagrun_duration_seconds_count{dag_id=\"d\",state=\"failed\"} 1",
                "weft_scheduler_scheduler_loop_duration_seconds_count 1",
                "weft_scheduler_scheduler_loop_duration_seconds_sum 0.02",
                "weft_writeback_batch_size_outcomes_count 2", "weft_writeback_batch_size_outcomes_sum 6.0",
                "weft_writeback_batch_size_outcomes_max 5.0", "weft_writeback_duration_seconds_sum 0.006",
                "weft_sensor_pokes_total{mode=\"poke\"} 2.0", "weft_sensor_pokes_total{mode=\"reschedule\"} 1.0",
                "weft_sensor_wakeups_total{cause=\"file_event\"} 1.0", "weft_sensor_wakeups_total{cause=\"poll\"} 2.0",
                "weft_wakeup_notifications_sent_total{channel=\"weft_queued\"} 1.0",
                "weft_wakeup_notifications_received_total{channel=\"weft_queued\"} 2.0",
                "weft_dag_processing_total_parse_time_seconds_sum 0.15");
    }

    @Test
    void theRegistryCarriesTheJvmsMetrics() {
        assertThat(registry.scrape()).contains("jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds");
    }

    private static FinishFollowUp.Written written(String taskId, TaskState state) {
        return new FinishFollowUp.Written(1, 1, "d", taskId, state);
    }
}
