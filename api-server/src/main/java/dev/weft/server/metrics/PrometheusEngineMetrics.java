package dev.weft.server.metrics;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.SensorMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's events as Micrometer meters, named after Airflow's metrics with labels in place of the dotted name
 * parts ({@code ti.finish.<dag_id>.<task_id>.<state>} is {@code weft_ti_finish_total{dag_id,task_id,state}}).
 * Labels are bounded: DAG and task ids, states, modes and channels; never run ids, conf or params. Counts are this
 * process's: Prometheus adds up the processes' series.
 */
public final class PrometheusEngineMetrics implements EngineMetrics {
    private final MeterRegistry registry;
    private final Timer schedulerLoop;
    private final DistributionSummary writeBackSize;
    private final Timer writeBackDuration;
    private final Timer parseTime;
    // Looked up once: every poke counts in both, and a registry look-up builds an id with its tags each time.
    private final Map<SensorMode, Counter> pokes = new ConcurrentHashMap<>();
    private final Map<WakeCause, Counter> wakeups = new ConcurrentHashMap<>();
    /** By channel: a worker sends and hears wake-ups every pass, and a registry look-up builds the meter's tags. */
    private final Map<String, Counter> wakeupsSent = new ConcurrentHashMap<>();
    private final Map<String, Counter> wakeupsReceived = new ConcurrentHashMap<>();

    /** A Prometheus registry with the JVM's and the process's own metrics (memory, GC, threads, CPU, uptime). */
    @SuppressWarnings("resource") // the GC metrics' listeners live as long as the process
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    public PrometheusEngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.schedulerLoop = Timer.builder("weft.scheduler.scheduler_loop_duration")
                .description("How long one scheduler pass took (Airflow: scheduler.scheduler_loop_duration)")
                .register(registry);
        this.writeBackSize = DistributionSummary.builder("weft.writeback.batch_size").baseUnit("outcomes")
                .description("Tries' outcomes per worker write-back transaction").register(registry);
        this.writeBackDuration = Timer.builder("weft.writeback.duration")
                .description("How long a worker's write-back of outcomes took, follow-up included")
                .register(registry);
        this.parseTime = Timer.builder("weft.dag_processing.total_parse_time")
                .description("How long one scan of the DAGs folder took (Airflow: dag_processing.total_parse_time)")
                .register(registry);
    }

    @Override
    public void triesWritten(List<FinishFollowUp.Written> written) {
        for (FinishFollowUp.Written w : written) {
            if (w.state() == TaskState.UP_FOR_RESCHEDULE) {
                // The try waits on, it did not end (its pokes are counted by mode): a series per waiting sensor
                // would hold ≈ 540 bytes of heap for each of 100,000 sensors, and cost a registry look-up per poke.
                continue;
            }
            String state = w.state().wireName();
            counter("weft.ti.finish", "Tries that ended, by state (Airflow: ti.finish)", w.dagId(), w.taskId(),
                    "state", state).increment();
            if (w.state() == TaskState.SUCCESS) {
                counter("weft.ti_successes", "Tries that succeeded (Airflow: ti_successes)", w.dagId(), w.taskId())
                        .increment();
            } else if (w.state() == TaskState.FAILED || w.state() == TaskState.UP_FOR_RETRY) {
                counter("weft.ti_failures", "Tries that failed, retried or not (Airflow: ti_failures)", w.dagId(),
                        w.taskId()).increment();
            }
        }
    }

    private Counter counter(String name, String description, String dagId, String taskId, String... tags) {
        return Counter.builder(name).description(description).tag("dag_id", dagId).tag("task_id", taskId)
                .tags(tags).register(registry);
    }

    @Override
    public void runFinished(String dagId, RunState state, Duration duration) {
        Timer.builder("weft.dagrun.duration").description("How long runs took, by end state (Airflow: "
                        + "dagrun.duration.<state>)")
                .tag("dag_id", dagId).tag("state", state.wireName()).register(registry).record(duration);
    }

    @Override
    public void schedulerLoop(Duration duration) {
        schedulerLoop.record(duration);
    }

    @Override
    public void writeBack(int outcomes, Duration duration) {
        writeBackSize.record(outcomes);
        writeBackDuration.record(duration);
    }

    @Override
    public void sensorPoked(SensorMode mode) {
        pokes.computeIfAbsent(mode, m -> Counter.builder("weft.sensor.pokes")
                .description("Sensor pokes, by mode (rate() gives pokes per second)")
                .tag("mode", m.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    @Override
    public void sensorWoken(WakeCause cause) {
        wakeups.computeIfAbsent(cause, c -> Counter.builder("weft.sensor.wakeups")
                .description("Re-pokes of waiting sensors, by what woke them")
                .tag("cause", c.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    @Override
    public void wakeupSent(String channel) {
        wakeupsSent.computeIfAbsent(channel, c -> Counter.builder("weft.wakeup.notifications.sent")
                .description("Wake-up notifications sent to other processes").tag("channel", c).register(registry))
                .increment();
    }

    @Override
    public void wakeupReceived(String channel) {
        wakeupsReceived.computeIfAbsent(channel, c -> Counter.builder("weft.wakeup.notifications.received")
                .description("Wake-up notifications received from other processes").tag("channel", c)
                .register(registry)).increment();
    }

    @Override
    public void dagFilesProcessed(Duration duration) {
        parseTime.record(duration);
    }
}
