package dev.weft.engine.scheduler;

import dev.weft.engine.store.HeartbeatStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A scheduler's heartbeat, written by its own pass (at most once per {@code every}): a scheduler whose passes stop,
 * hang or keep failing stops heartbeating, and health says so. Airflow's scheduler heartbeats every 5 s
 * ({@code scheduler_heartbeat_sec}).
 */
public final class SchedulerHeartbeat {
    /** Who the scheduler is: unique per process, and where it runs. */
    public record Identity(String schedulerId, String hostname, long pid) {
    }

    private final HeartbeatStore store;
    private final Identity identity;
    private final Duration every;
    private final Clock clock;
    private Instant last = Instant.MIN;

    public SchedulerHeartbeat(HeartbeatStore store, Identity identity, Duration every, Clock clock) {
        this.store = store;
        this.identity = identity;
        this.every = every;
        this.clock = clock;
    }

    /** Called at the start of each pass; a store failure is the pass's failure. */
    void beatIfDue(Instant now) {
        if (!now.isBefore(last.plus(every))) {
            store.schedulerHeartbeat(identity.schedulerId(), identity.hostname(), identity.pid(), now);
            last = now;
        }
    }

    /** Tells the store this scheduler stopped: health no longer lists it. */
    public void stopped() {
        store.schedulerStopped(identity.schedulerId(), clock.instant());
    }
}
