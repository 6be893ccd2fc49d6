package dev.weft.engine.health;

import dev.weft.engine.store.HeartbeatStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What health reports, from the heartbeats in the store: the scheduler is healthy while some scheduler's latest
 * heartbeat is younger than {@code schedulerThreshold} (Airflow's {@code scheduler_health_check_threshold}, 30 s by
 * default); a worker while its latest heartbeat is younger than the limit after which schedulers declare it lost.
 * Processes silent for longer than {@link #LISTED_FOR} (killed, never stopped) are no longer listed.
 */
public final class Health {
    static final Duration LISTED_FOR = Duration.ofDays(1);

    /** A scheduler or worker process and whether its heartbeat is recent enough. */
    public record Component(String id, String hostname, long pid, Instant latestHeartbeat, boolean healthy) {
    }

    /**
     * @param databaseHealthy          whether the store answered
     * @param latestSchedulerHeartbeat null when no scheduler heartbeat is known (or the store did not answer)
     */
    public record Report(boolean databaseHealthy, boolean schedulerHealthy, Instant latestSchedulerHeartbeat,
                         List<Component> schedulers, List<Component> workers) {
    }

    private final HeartbeatStore store;
    private final Duration schedulerThreshold;
    private final Duration workerThreshold;
    private final Clock clock;

    public Health(HeartbeatStore store, Duration schedulerThreshold, Duration workerThreshold, Clock clock) {
        this.store = store;
        this.schedulerThreshold = schedulerThreshold;
        this.workerThreshold = workerThreshold;
        this.clock = clock;
    }

    public Report report() {
        Instant now = clock.instant();
        List<Component> schedulers;
        List<Component> workers;
        try {
            schedulers = components(store.schedulers(now.minus(LISTED_FOR)), now.minus(schedulerThreshold));
            workers = components(store.workers(now.minus(LISTED_FOR)), now.minus(workerThreshold));
        } catch (RuntimeException databaseDown) {
            return new Report(false, false, null, List.of(), List.of());
        }
        Instant latest = schedulers.isEmpty() ? null : schedulers.get(0).latestHeartbeat();
        return new Report(true, schedulers.stream().anyMatch(Component::healthy), latest, schedulers, workers);
    }

    private static List<Component> components(List<HeartbeatStore.Heartbeat> heartbeats, Instant healthyAfter) {
        return heartbeats.stream().map(h -> new Component(h.id(), h.hostname(), h.pid(), h.latestHeartbeat(),
                h.latestHeartbeat().isAfter(healthyAfter))).toList();
    }
}
