package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.spi.DataInterval;
import dev.weft.spi.dag.DagSpec;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
public interface DagDao extends DagStore, SqlObject {
    String COLUMNS = "dag_id, spec, spec_hash, is_paused AS paused, is_active AS active, fileloc, last_parsed_time, "
            + "next_dagrun, next_dagrun_data_interval_start, next_dagrun_data_interval_end, next_dagrun_create_after, bundles";

    @Override
    default boolean upsert(DagSpec spec, String specHash, String fileloc, List<BundleRef> bundles, boolean pausedIfNew,
                           Instant parsedAt) {
        // The datasets the DAG names exist from now on: the API lists them, and events can be posted for them.
        List<String> datasets = new java.util.ArrayList<>(spec.datasets());
        spec.tasks().forEach(t -> datasets.addAll(t.outlets()));
        spec.datasetFeeds().forEach(f -> datasets.add(f.dataset()));
        getHandle().attach(DatasetDao.class).register(datasets, parsedAt);
        return upsert(spec.dagId(), Json.write(spec), specHash, fileloc, Json.write(bundles), pausedIfNew,
                spec.maxActiveTasks(), spec.maxActiveRuns(), parsedAt);
    }

    // The CTE reads the row as it was before the statement, so the result says whether anything changed.
    @SqlQuery("""
            WITH old AS (SELECT spec_hash, is_active FROM dag WHERE dag_id = :dagId)
            INSERT INTO dag (dag_id, spec, spec_hash, is_paused, fileloc, bundles, max_active_tasks, max_active_runs,
                             last_parsed_time)
            VALUES (:dagId, CAST(:spec AS JSONB), :hash, :paused, :fileloc, CAST(:bundles AS JSONB), :maxActiveTasks,
                    :maxActiveRuns, :now)
            ON CONFLICT (dag_id) DO UPDATE SET
                spec = EXCLUDED.spec, spec_hash = EXCLUDED.spec_hash, is_active = TRUE, fileloc = EXCLUDED.fileloc,
                bundles = EXCLUDED.bundles,
                max_active_tasks = EXCLUDED.max_active_tasks, max_active_runs = EXCLUDED.max_active_runs,
                last_parsed_time = EXCLUDED.last_parsed_time,
                next_run_stale = dag.next_run_stale OR dag.spec_hash <> EXCLUDED.spec_hash OR NOT dag.is_active,
                updated_at = CASE WHEN dag.spec_hash <> EXCLUDED.spec_hash THEN now() ELSE dag.updated_at END
            RETURNING NOT EXISTS (SELECT 1 FROM old WHERE old.spec_hash = :hash AND old.is_active)""")
    boolean upsert(@Bind("dagId") String dagId, @Bind("spec") String specJson, @Bind("hash") String hash,
                   @Bind("fileloc") String fileloc, @Bind("bundles") String bundlesJson, @Bind("paused") boolean paused,
                   @Bind("maxActiveTasks") int maxActiveTasks, @Bind("maxActiveRuns") int maxActiveRuns,
                   @Bind("now") Instant now);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag WHERE dag_id = :dagId")
    Optional<DagRecord> find(@Bind("dagId") String dagId);

    @Override
    @SqlQuery("SELECT dag_id, spec_hash, is_paused AS paused, is_active AS active FROM dag WHERE dag_id = :dagId")
    Optional<DagHeader> header(@Bind("dagId") String dagId);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag ORDER BY dag_id")
    List<DagRecord> listAll();

    // The feeds' poll runs every 30 s: reading every spec (a 100,000-task DAG's too) only to find none cost 10 % of a
    // core; the JSONB test leaves the other specs unread.
    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag WHERE is_active"
            + " AND jsonb_array_length(COALESCE(spec -> 'datasetFeeds', '[]'::jsonb)) > 0 ORDER BY dag_id")
    List<DagRecord> activeWithDatasetFeeds();

    @Override
    @SqlQuery("SELECT dag_id FROM dag WHERE is_active AND starts_with(fileloc, :folder) ORDER BY dag_id")
    List<String> activeIdsUnder(@Bind("folder") String folder);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag WHERE is_active AND NOT is_paused"
            + " AND (next_run_stale OR next_dagrun_create_after <= :now) ORDER BY dag_id")
    List<DagRecord> dueForScheduling(@Bind("now") Instant now);

    @Override
    default void setNextRun(String dagId, DataInterval next, Instant createAfter) {
        setNextRun(dagId, next == null ? null : next.start(), next == null ? null : next.start(),
                next == null ? null : next.end(), createAfter);
    }

    @SqlUpdate("""
            UPDATE dag SET next_dagrun = :next, next_dagrun_data_interval_start = :start,
                next_dagrun_data_interval_end = :end, next_dagrun_create_after = :createAfter, next_run_stale = FALSE
            WHERE dag_id = :dagId""")
    void setNextRun(@Bind("dagId") String dagId, @Bind("next") Instant next, @Bind("start") Instant start,
                    @Bind("end") Instant end, @Bind("createAfter") Instant createAfter);

    @Override
    @SqlUpdate("UPDATE dag SET sensor_deadlock_since = :since WHERE dag_id = :dagId"
            + " AND sensor_deadlock_since IS DISTINCT FROM :since")
    void setSensorDeadlock(@Bind("dagId") String dagId, @Bind("since") Instant since);

    @Override
    default void setCrossDagSensorDeadlock(String resource, Instant since) {
        if (since == null) {
            endCrossDagSensorDeadlock(resource);
        } else {
            startCrossDagSensorDeadlock(resource, since);
        }
    }

    @SqlUpdate("INSERT INTO cross_dag_sensor_deadlock (resource, since) VALUES (:resource, :since)"
            + " ON CONFLICT (resource) DO UPDATE SET since = EXCLUDED.since")
    void startCrossDagSensorDeadlock(@Bind("resource") String resource, @Bind("since") Instant since);

    @SqlUpdate("DELETE FROM cross_dag_sensor_deadlock WHERE resource = :resource")
    void endCrossDagSensorDeadlock(@Bind("resource") String resource);

    @Override
    @SqlUpdate("""
            UPDATE dag SET is_paused = :paused,
                next_run_stale = next_run_stale OR (is_paused AND NOT :paused), updated_at = now()
            WHERE dag_id = :dagId""")
    boolean setPaused(@Bind("dagId") String dagId, @Bind("paused") boolean paused);

    @Override
    default int deactivateOthers(Collection<String> keep) {
        return deactivateOthers(keep.toArray(String[]::new));
    }

    @SqlUpdate("UPDATE dag SET is_active = FALSE, updated_at = now() WHERE is_active AND dag_id <> ALL(:keep)")
    int deactivateOthers(@Bind("keep") String[] keep);

    @Override
    default int deactivate(Collection<String> dagIds) {
        return dagIds.isEmpty() ? 0 : deactivate(dagIds.toArray(String[]::new));
    }

    @SqlUpdate("UPDATE dag SET is_active = FALSE, updated_at = now() WHERE is_active AND dag_id = ANY(:ids)")
    int deactivate(@Bind("ids") String[] ids);
}
