package dev.weft.store;

import dev.weft.engine.store.XComStore;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(XComStore.Entry.class)
public interface XComDao extends XComStore {
    /**
     * Every XCom: the pushed ones and the outputs as {@code return_value}, filtered by {@code :f.*} (null: any).
     * {@code <values>} says whether the values are read (a list leaves them out, as they may be large). The
     * filters stay outside the union: PostgreSQL pushes them into both branches.
     */
    String ENTRIES = """
            SELECT e.* FROM (
                SELECT t.dag_id, t.run_id, t.task_id, t.logical_date, x.key, x.timestamp,
                    CASE WHEN <values> THEN x.value::text END AS value_json
                FROM xcom x JOIN task_instance t ON t.id = x.ti_id
                UNION ALL
                SELECT t.dag_id, t.run_id, t.task_id, t.logical_date, 'return_value', COALESCE(t.end_date, t.updated_at),
                    CASE WHEN <values> THEN t.output::text END
                FROM task_instance t WHERE t.output IS NOT NULL
            ) e
            WHERE (CAST(:f.dagId AS TEXT) IS NULL OR e.dag_id = :f.dagId)
              AND (CAST(:f.runId AS TEXT) IS NULL OR e.run_id = :f.runId)
              AND (CAST(:f.taskId AS TEXT) IS NULL OR e.task_id = :f.taskId)
              AND (CAST(:f.key AS TEXT) IS NULL OR e.key = :f.key)""";

    // Only while the try runs: a thread left behind by a failed or cleared try cannot write into the next one.
    @Override
    @SqlUpdate("""
            INSERT INTO xcom (ti_id, key, value, timestamp)
            SELECT t.id, :key, CAST(:value AS JSONB), :now FROM task_instance t
            WHERE t.id = :tiId AND t.try_number = :tryNumber AND t.state = 'running'
            ON CONFLICT (ti_id, key) DO UPDATE SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp""")
    boolean push(@Bind("tiId") long tiId, @Bind("tryNumber") int tryNumber, @Bind("key") String key,
                 @Bind("value") String valueJson, @Bind("now") Instant now);

    @Override
    @SqlQuery("""
            SELECT x.value::text FROM task_instance t JOIN xcom x ON x.ti_id = t.id AND x.key = :key
            WHERE t.run_pk = :runPk AND t.task_id = :taskId
            UNION ALL
            SELECT t.output::text FROM task_instance t
            WHERE :key = 'return_value' AND t.run_pk = :runPk AND t.task_id = :taskId AND t.output IS NOT NULL""")
    Optional<String> pull(@Bind("runPk") long runPk, @Bind("taskId") String taskId, @Bind("key") String key);

    @Override
    @SqlQuery(ENTRIES + " ORDER BY e.logical_date, e.dag_id, e.run_id, e.task_id, e.key LIMIT :limit OFFSET :offset")
    List<Entry> list(@BindMethods("f") Filter filter, @Define("values") boolean values, @Bind("limit") int limit,
                     @Bind("offset") int offset);

    @Override
    default long count(Filter filter) {
        return count(filter, false);
    }

    @SqlQuery("SELECT count(*) FROM (" + ENTRIES + ") c")
    long count(@BindMethods("f") Filter filter, @Define("values") boolean values);

    @Override
    default Optional<Entry> find(String dagId, String runId, String taskId, String key) {
        return find(new Filter(dagId, runId, taskId, key), true);
    }

    @SqlQuery(ENTRIES)
    Optional<Entry> find(@BindMethods("f") Filter filter, @Define("values") boolean values);
}
