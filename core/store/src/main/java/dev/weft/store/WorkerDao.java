package dev.weft.store;

import dev.weft.engine.store.WorkerStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;

public interface WorkerDao extends WorkerStore {
    @Override
    @SqlUpdate("""
            INSERT INTO worker (worker_id, hostname, pid, started_at, heartbeat_at) VALUES (:id, :hostname, :pid, :now, :now)
            ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = :now, stopped_at = NULL, lost_at = NULL""")
    void register(@Bind("id") String workerId, @Bind("hostname") String hostname, @Bind("pid") long pid,
                  @Bind("now") Instant now);

    @Override
    @SqlUpdate("UPDATE worker SET heartbeat_at = :now WHERE worker_id = :id AND stopped_at IS NULL AND lost_at IS NULL")
    boolean heartbeat(@Bind("id") String workerId, @Bind("now") Instant now);

    @Override
    @SqlUpdate("UPDATE worker SET stopped_at = :now WHERE worker_id = :id")
    void stopped(@Bind("id") String workerId, @Bind("now") Instant now);
}
