package dev.weft.server.metrics;

import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.ImportErrorStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.SlotHolder;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.spi.TaskState;
import dev.weft.testkit.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class DatabaseGaugesTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PoolStore pools = mock(PoolStore.class);
    private final TaskInstanceStore taskInstances = mock(TaskInstanceStore.class);
    private final ImportErrorStore importErrors = mock(ImportErrorStore.class);
    // No DAG is in the store: no running task is a poke-mode sensor.
    private final DagCatalog catalog = new DagCatalog(mock(DagStore.class));

    private DatabaseGauges gauges(Clock clock) {
        return new DatabaseGauges(registry, pools, taskInstances, importErrors, catalog, type -> false, 32, clock,
                Duration.ofSeconds(5));
    }

    @Test
    void poolsExecutorSensorsAndImportErrorsAreReadFromTheStores() {
        when(pools.usage()).thenReturn(List.of(new PoolStore.PoolUsage("default_pool", 128, 5, 3, 2, 7),
                new PoolStore.PoolUsage("small", 1, 2, 2, 0, 0)));
        when(taskInstances.slotHolders(any())).thenReturn(List.of(
                new SlotHolder("d", "a", "default_pool", TaskState.RUNNING, 3, 3),
                new SlotHolder("d", "b", "default_pool", TaskState.QUEUED, 2, 2),
                new SlotHolder("d", "c", "default_pool", TaskState.SCHEDULED, 7, 7),
                new SlotHolder("e", "x", "small", TaskState.RUNNING, 2, 2)));
        when(taskInstances.countWaitingReschedules()).thenReturn(4);
        when(importErrors.list()).thenReturn(List.of(new ImportErrorStore.ImportErrorRecord(1, "f.yaml", "bad", NOW)));

        gauges(Clock.fixed(NOW, ZoneOffset.UTC)).refresh();

        assertThat(registry.scrape()).contains(
                "weft_pool_open_slots{pool=\"default_pool\"} 123.0", "weft_pool_open_slots{pool=\"small\"} -1.0",
                "weft_pool_running_slots{pool=\"default_pool\"} 3.0", "weft_pool_queued_slots{pool=\"default_pool\"} 2.0",
                "weft_pool_scheduled_slots{pool=\"default_pool\"} 7.0",
                "weft_executor_running_tasks 5.0", "weft_executor_queued_tasks 2.0", "weft_executor_open_slots 25.0",
                "weft_sensors_waiting{mode=\"reschedule\"} 4.0", "weft_sensors_waiting{mode=\"poke\"} 0.0",
                "weft_dag_processing_import_errors 1.0");
    }

    @Test
    void scrapesWithinTheMaxAgeShareOneReadAndADeletedPoolsSeriesEnds() {
        when(pools.usage()).thenReturn(List.of(new PoolStore.PoolUsage("gone_soon", 4, 0, 0, 0, 0)),
                List.of());
        ManualClock clock = new ManualClock(NOW);
        DatabaseGauges gauges = gauges(clock);
        gauges.refresh();
        clock.set(NOW.plusSeconds(4));
        gauges.refresh();
        verify(pools, times(1)).usage();
        assertThat(registry.scrape()).contains("weft_pool_open_slots{pool=\"gone_soon\"} 4.0");

        clock.set(NOW.plusSeconds(5));
        gauges.refresh();
        verify(pools, times(2)).usage();
        assertThat(registry.scrape()).doesNotContain("gone_soon");
    }

    @Test
    void aFailedReadKeepsTheLastValues() {
        when(importErrors.list()).thenReturn(List.of(new ImportErrorStore.ImportErrorRecord(1, "f", "bad", NOW)))
                .thenThrow(new IllegalStateException("connection refused"));
        ManualClock clock = new ManualClock(NOW);
        DatabaseGauges gauges = gauges(clock);
        gauges.refresh();
        clock.set(NOW.plusSeconds(60));
        gauges.refresh();
        assertThat(registry.scrape()).contains("weft_dag_processing_import_errors 1.0");
    }
}
