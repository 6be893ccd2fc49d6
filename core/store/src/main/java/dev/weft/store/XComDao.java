package dev.weft.store;

import dev.weft.engine.store.XComStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
public interface XComDao extends XComStore {
    /**
     * Every XCom: the pushed ones and the outputs as {@code return_value}, filtered by {@code :f.*} (null: any).
     * {@code <values>} says whether the values (and their secrets) are read (a list leaves them out, as they may be
     * large). The filters stay outside the union: PostgreSQL pushes them into both branches.
     */
    String ENTRIES = """
            SELECT e.* FROM (
                SELECT t.dag_id, t.run_id, t.task_id, t.logical_date, x.key, x.timestamp,
                    CASE WHEN <values> THEN x.value::text END AS value_json,
                    CASE WHEN <values> THEN x.secrets END AS secrets
                FROM xcom x JOIN task_instance t ON t.id = x.ti_id
                UNION ALL
                SELECT t.dag_id, t.run_id, t.task_id, t.logical_date, 'return_value', COALESCE(t.end_date, t.updated_at),
                    CASE WHEN <values> THEN t.output::text END, CASE WHEN <values> THEN t.output_secrets END
                FROM task_instance t WHERE t.output IS NOT NULL
            ) e
            WHERE (CAST(:f.dagId AS TEXT) IS NULL OR e.dag_id = :f.dagId)
              AND (CAST(:f.runId AS TEXT) IS NULL OR e.run_id = :f.runId)
              AND (CAST(:f.taskId AS TEXT) IS NULL OR e.task_id = :f.taskId)
              AND (CAST(:f.key AS TEXT) IS NULL OR e.key = :f.key)""";

    // Only while the try runs: a thread left behind by a failed or cleared try cannot write into the next one.
    @Override
    @SqlUpdate("""
            INSERT INTO xcom (ti_id, key, value, secrets, timestamp)
            SELECT t.id, :key, CAST(:value AS JSONB), :secrets, :now FROM task_instance t
            WHERE t.id = :tiId AND t.try_number = :tryNumber AND t.state = 'running'
            ON CONFLICT (ti_id, key) DO UPDATE SET value = EXCLUDED.value, secrets = EXCLUDED.secrets,
                timestamp = EXCLUDED.timestamp""")
    boolean push(@Bind("tiId") long tiId, @Bind("tryNumber") int tryNumber, @Bind("key") String key,
                 @Bind("value") String valueJson, @Bind("secrets") String secrets, @Bind("now") Instant now);

    @Override
    @SqlUpdate("""
            UPDATE task_instance SET output_secrets = :secrets
            WHERE id = :tiId AND try_number = :tryNumber AND state = 'running'""")
    void recordReturnValueSecrets(@Bind("tiId") long tiId, @Bind("tryNumber") int tryNumber,
                                  @Bind("secrets") String secrets);

    @Override
    @SqlQuery("""
            SELECT x.value::text AS value_json, x.secrets
            FROM task_instance t JOIN xcom x ON x.ti_id = t.id AND x.key = :key
            WHERE t.run_pk = :runPk AND t.task_id = :taskId
            UNION ALL
            SELECT t.output::text, t.output_secrets FROM task_instance t
            WHERE :key = 'return_value' AND t.run_pk = :runPk AND t.task_id = :taskId AND t.output IS NOT NULL""")
    Optional<Stored> pull(@Bind("runPk") long runPk, @Bind("taskId") String taskId, @Bind("key") String key);

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

    // Reads task_instance whole: only rotate-secret-key asks, once per key change, never a scheduler or a worker.
    @Override
    @SqlQuery("""
            SELECT ti_id, key, secrets FROM xcom WHERE secrets IS NOT NULL
            UNION ALL
            SELECT id, 'return_value', output_secrets FROM task_instance WHERE output_secrets IS NOT NULL""")
    List<SealedSecrets> allSecrets();

    @Override
    default void replaceSecrets(SealedSecrets old, String secrets) {
        if (RETURN_VALUE.equals(old.key())) {
            replaceReturnValueSecrets(old.tiId(), old.secrets(), secrets);
        } else {
            replacePushedSecrets(old.tiId(), old.key(), old.secrets(), secrets);
        }
    }

    @SqlUpdate("UPDATE task_instance SET output_secrets = :secrets WHERE id = :tiId AND output_secrets = :old")
    void replaceReturnValueSecrets(@Bind("tiId") long tiId, @Bind("old") String old, @Bind("secrets") String secrets);

    @SqlUpdate("UPDATE xcom SET secrets = :secrets WHERE ti_id = :tiId AND key = :key AND secrets = :old")
    void replacePushedSecrets(@Bind("tiId") long tiId, @Bind("key") String key, @Bind("old") String old,
                              @Bind("secrets") String secrets);
}
