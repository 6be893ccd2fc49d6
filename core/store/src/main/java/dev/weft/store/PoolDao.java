package dev.weft.store;

import dev.weft.engine.store.PoolStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;
public interface PoolDao extends PoolStore {
    @Override
    @SqlQuery("SELECT name, slots, description, include_deferred FROM pool ORDER BY name")
    List<Pool> list();

    @Override
    @SqlQuery("SELECT name, slots, description, include_deferred FROM pool WHERE name = :name")
    Optional<Pool> find(@Bind("name") String name);

    @Override
    @SqlUpdate("""
            INSERT INTO pool (name, slots, description, include_deferred)
            VALUES (:name, :slots, :description, :includeDeferred)
            ON CONFLICT (name) DO UPDATE SET slots = EXCLUDED.slots, description = EXCLUDED.description,
                include_deferred = EXCLUDED.include_deferred""")
    void upsert(@BindMethods Pool pool);

    @Override
    @SqlUpdate("DELETE FROM pool WHERE name = :name AND name <> 'default_pool'")
    boolean delete(@Bind("name") String name);

    // Reads the partial indexes of scheduled and waiting task instances: few rows, whatever the history. A waiting
    // reschedule-mode sensor is claimed straight from up_for_reschedule within its pool: it is stuck too.
    @Override
    @SqlQuery("""
            SELECT t.dag_id, t.run_id, t.task_id, t.pool, t.pool_slots, p.slots AS pool_size
            FROM task_instance t LEFT JOIN pool p ON p.name = t.pool
            WHERE (t.state = 'scheduled' OR t.state = 'up_for_reschedule')
              AND (p.name IS NULL OR t.pool_slots > p.slots)
            ORDER BY t.dag_id, t.task_id, t.logical_date""")
    List<Shortage> shortOfSlots();

    @Override
    @SqlQuery("""
            SELECT d.dag_id, NULL AS run_id, t.task ->> 'taskId' AS task_id, needs.pool, needs.pool_slots,
                p.slots AS pool_size
            FROM dag d
            CROSS JOIN LATERAL jsonb_array_elements(d.spec -> 'tasks') AS t(task)
            CROSS JOIN LATERAL (SELECT COALESCE(t.task ->> 'pool', 'default_pool') AS pool,
                                       COALESCE((t.task ->> 'poolSlots')::int, 1) AS pool_slots) AS needs
            LEFT JOIN pool p ON p.name = needs.pool
            WHERE d.is_active AND (p.name IS NULL OR needs.pool_slots > p.slots)
            ORDER BY d.dag_id, task_id""")
    List<Shortage> tasksShortOfSlots();

    @Override
    @SqlUpdate("UPDATE pool SET sensor_deadlock_since = :since WHERE name = :name"
            + " AND sensor_deadlock_since IS DISTINCT FROM :since")
    void setSensorDeadlock(@Bind("name") String name, @Bind("since") java.time.Instant since);

    @Override
    @SqlQuery("""
            SELECT p.name, p.slots,
                COALESCE(sum(t.pool_slots) FILTER (WHERE t.state IN ('queued', 'running')), 0) AS occupied,
                count(t.id) FILTER (WHERE t.state = 'running') AS running,
                count(t.id) FILTER (WHERE t.state = 'queued') AS queued,
                count(t.id) FILTER (WHERE t.state = 'scheduled') AS scheduled
            FROM pool p LEFT JOIN task_instance t ON t.pool = p.name AND t.state IN ('queued', 'running', 'scheduled')
            GROUP BY p.name, p.slots ORDER BY p.name""")
    List<PoolUsage> usage();

    @Override
    @SqlUpdate("""
            INSERT INTO pool (name, slots, description, include_deferred)
            VALUES (:name, :slots, :description, :includeDeferred)
            ON CONFLICT (name) DO NOTHING""")
    boolean create(@BindMethods Pool pool);

    @Override
    @SqlUpdate("""
            UPDATE pool SET name = :p.name, slots = :p.slots, description = :p.description,
                include_deferred = :p.includeDeferred
            WHERE name = :old""")
    boolean update(@Bind("old") String name, @BindMethods("p") Pool pool);
}
