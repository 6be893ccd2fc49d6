package dev.weft.server.metrics;

import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.ImportErrorStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.SlotHolder;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.spi.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The gauges read from the database when {@code /metrics} is scraped, at most once per {@code maxAge} however many
 * scrapers ask: pool slots, executor slots, waiting sensors by mode, import errors. They are the database's truth,
 * the same from every process that reports them (so Prometheus should take their max, not their sum, across
 * processes), rather than what one process happens to have seen. A read that fails keeps the last values; the
 * health endpoint reports the database.
 */
public final class DatabaseGauges {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGauges.class);

    /** What the gauges show, read in one refresh. */
    record Snapshot(List<PoolStore.PoolUsage> pools, int queued, int running, int pokeSensorsWaiting,
                    int rescheduleSensorsWaiting, int importErrors) {
        static final Snapshot EMPTY = new Snapshot(List.of(), 0, 0, 0, 0, 0);
    }

    private final PoolStore pools;
    private final TaskInstanceStore taskInstances;
    private final ImportErrorStore importErrors;
    private final DagCatalog catalog;
    private final Predicate<String> isSensorType;
    private final Clock clock;
    private final Duration maxAge;
    private final List<MultiGauge> poolGauges;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private Instant readAt = Instant.MIN;

    /**
     * @param parallelism  the scheduler's limit on queued and running task instances (Airflow's executor slots)
     * @param isSensorType whether a task type id is a sensor type (the plugins know)
     */
    public DatabaseGauges(MeterRegistry registry, PoolStore pools, TaskInstanceStore taskInstances,
                          ImportErrorStore importErrors, DagCatalog catalog, Predicate<String> isSensorType,
                          int parallelism, Clock clock, Duration maxAge) {
        this.pools = pools;
        this.taskInstances = taskInstances;
        this.importErrors = importErrors;
        this.catalog = catalog;
        this.isSensorType = isSensorType;
        this.clock = clock;
        this.maxAge = maxAge;
        this.poolGauges = List.of(
                MultiGauge.builder("weft.pool.open_slots").description("Free slots of a pool").register(registry),
                MultiGauge.builder("weft.pool.queued_slots").description("Slots of a pool held by queued tasks")
                        .register(registry),
                MultiGauge.builder("weft.pool.running_slots").description("Slots of a pool held by running tasks")
                        .register(registry),
                MultiGauge.builder("weft.pool.scheduled_slots")
                        .description("Task instances scheduled in a pool, waiting for a slot").register(registry));
        gauge(registry, "weft.executor.open_slots", "Task instances the scheduler may still queue under parallelism",
                s -> parallelism - s.queued() - s.running());
        gauge(registry, "weft.executor.queued_tasks", "Task instances queued, waiting for a worker", Snapshot::queued);
        gauge(registry, "weft.executor.running_tasks", "Task instances running on workers", Snapshot::running);
        gauge(registry, "weft.dag_processing.import_errors", "DAG sources that failed to load",
                Snapshot::importErrors);
        String waiting = "Sensors waiting for their condition (a poke-mode one holds its slot while it waits)";
        gauge(registry, "weft.sensors.waiting", waiting, Snapshot::pokeSensorsWaiting, "mode", "poke");
        gauge(registry, "weft.sensors.waiting", waiting, Snapshot::rescheduleSensorsWaiting, "mode", "reschedule");
    }

    private void gauge(MeterRegistry registry, String name, String description, ToIntFunction<Snapshot> value,
                       String... tags) {
        Gauge.builder(name, this, g -> value.applyAsInt(g.snapshot)).description(description).tags(tags)
                .register(registry);
    }

    /** Reads the database again unless the values are younger than {@code maxAge}; called before each scrape. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        if (now.isBefore(readAt.plus(maxAge))) {
            return;
        }
        try {
            snapshot = read();
            readAt = now;
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the metrics' gauges from the database; /metrics shows the last values: {}",
                    e.toString());
            return;
        }
        List<PoolStore.PoolUsage> usage = snapshot.pools();
        List<ToIntFunction<PoolStore.PoolUsage>> values = List.of(PoolStore.PoolUsage::open,
                PoolStore.PoolUsage::queued, PoolStore.PoolUsage::running, PoolStore.PoolUsage::scheduled);
        for (int i = 0; i < poolGauges.size(); i++) {
            ToIntFunction<PoolStore.PoolUsage> value = values.get(i);
            // Overwrite: a deleted pool's series ends, a new pool's starts.
            poolGauges.get(i).register(usage.stream().<MultiGauge.Row<?>>map(p ->
                    MultiGauge.Row.of(Tags.of("pool", p.name()), value.applyAsInt(p))).toList(), true);
        }
    }

    private Snapshot read() {
        int queued = 0;
        int running = 0;
        int poking = 0;
        for (SlotHolder h : taskInstances.slotHolders(clock.instant())) {
            if (h.state() == TaskState.QUEUED) {
                queued += h.tasks();
            } else if (h.state() == TaskState.RUNNING) {
                running += h.tasks();
                if (catalog.isPokeSensor(h.dagId(), h.taskId(), isSensorType)) {
                    poking += h.tasks();
                }
            }
        }
        return new Snapshot(pools.usage(), queued, running, poking, taskInstances.countWaitingReschedules(),
                importErrors.list().size());
    }
}
