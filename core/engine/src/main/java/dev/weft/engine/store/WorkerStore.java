package dev.weft.engine.store;

import java.time.Instant;

/** Workers announce themselves and send heartbeats so the scheduler can tell a lost one. */
public interface WorkerStore {
    void register(String workerId, String hostname, long pid, Instant now);

    /**
     * Whether the heartbeat counted: false when the worker's row is gone, stopped, or was declared lost by a
     * scheduler (which then took its tries over).
     */
    boolean heartbeat(String workerId, Instant now);

    void stopped(String workerId, Instant now);
}
