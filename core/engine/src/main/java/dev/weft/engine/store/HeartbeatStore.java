package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;

/** Schedulers' heartbeats, and what health reports of schedulers and workers. */
public interface HeartbeatStore {
    /** A scheduler or worker process that has not said it stopped. */
    record Heartbeat(String id, String hostname, long pid, Instant startedAt, Instant latestHeartbeat) {
    }

    /** Registers the scheduler on its first heartbeat. */
    void schedulerHeartbeat(String schedulerId, String hostname, long pid, Instant now);

    void schedulerStopped(String schedulerId, Instant now);

    /** Schedulers not stopped whose latest heartbeat is after {@code since}, the latest first. */
    List<Heartbeat> schedulers(Instant since);

    /** Workers not stopped whose latest heartbeat is after {@code since}, the latest first. */
    List<Heartbeat> workers(Instant since);
}
