package dev.weft.store;

import dev.weft.engine.store.HeartbeatStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
public interface HeartbeatDao extends HeartbeatStore {
    @Override
    @SqlUpdate("""
            INSERT INTO scheduler_instance (scheduler_id, hostname, pid, started_at, heartbeat_at)
            VALUES (:id, :hostname, :pid, :now, :now)
            ON CONFLICT (scheduler_id) DO UPDATE SET heartbeat_at = :now, stopped_at = NULL""")
    void schedulerHeartbeat(@Bind("id") String schedulerId, @Bind("hostname") String hostname, @Bind("pid") long pid,
                            @Bind("now") Instant now);

    @Override
    @SqlUpdate("UPDATE scheduler_instance SET stopped_at = :now WHERE scheduler_id = :id")
    void schedulerStopped(@Bind("id") String schedulerId, @Bind("now") Instant now);

    // At most a hundred rows: the health answer stays small however many processes come and go (kill -9 leaves a row).
    @Override
    @SqlQuery("""
            SELECT scheduler_id AS id, hostname, pid, started_at, heartbeat_at AS latest_heartbeat
            FROM scheduler_instance WHERE stopped_at IS NULL AND heartbeat_at > :since
            ORDER BY heartbeat_at DESC LIMIT 100""")
    List<Heartbeat> schedulers(@Bind("since") Instant since);

    @Override
    @SqlQuery("""
            SELECT worker_id AS id, hostname, pid, started_at, heartbeat_at AS latest_heartbeat
            FROM worker WHERE stopped_at IS NULL AND heartbeat_at > :since
            ORDER BY heartbeat_at DESC LIMIT 100""")
    List<Heartbeat> workers(@Bind("since") Instant since);
}
