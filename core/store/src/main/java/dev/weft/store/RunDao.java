package dev.weft.store;

import dev.weft.spi.TaskKey;
import dev.weft.engine.json.Json;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.spi.DataInterval;
import dev.weft.spi.IsoDates;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
public interface RunDao extends RunStore, SqlObject {
    String COLUMNS = "id, dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, "
            + "external_trigger, conf, note, queued_at, start_date, end_date, last_scheduling_decision, clear_number, "
            + "triggered_by_dag_id, triggered_by_run_id, triggered_by_task_id, updated_at, awaits_trigger";

    @Override
    @Transaction
    default RunRecord create(NewRun run, List<NewTaskInstance> tasks, Instant now) {
        Optional<RunRecord> created = insert(run.dagId(), run.runId(), run.runType().wireName(), run.logicalDate(),
                run.dataInterval() == null ? null : run.dataInterval().start(),
                run.dataInterval() == null ? null : run.dataInterval().end(), run.externalTrigger(),
                Json.write(run.conf()), run.note(), now,
                run.triggeredBy() == null ? null : run.triggeredBy().dagId(),
                run.triggeredBy() == null ? null : run.triggeredBy().runId(),
                run.triggeredBy() == null ? null : run.triggeredBy().taskId());
        if (created.isEmpty()) {
            if (find(run.dagId(), run.runId()).isPresent()) {
                throw new RunConflictException(RunConflictException.Kind.RUN_ID, "DAGRun with DAG ID: '" + run.dagId()
                        + "' and DAGRun ID: '" + run.runId() + "' already exists", run.runId());
            }
            String holder = findAt(run.dagId(), run.logicalDate()).map(RunRecord::runId).orElse(null);
            throw new RunConflictException(RunConflictException.Kind.LOGICAL_DATE, "DAGRun with DAG ID: '"
                    + run.dagId() + "' and DAGRun logical date: '" + IsoDates.isoformat(run.logicalDate())
                    + "' already exists (run '" + holder + "')", holder);
        }
        RunRecord record = created.get();
        insertTasks(record.id(), record.dagId(), record.runId(), record.logicalDate(),
                tasks.stream().map(NewTaskInstance::taskId).toArray(String[]::new),
                tasks.stream().map(NewTaskInstance::operator).toArray(String[]::new),
                tasks.stream().mapToInt(NewTaskInstance::maxTries).toArray(),
                tasks.stream().mapToInt(NewTaskInstance::priorityWeight).toArray(),
                tasks.stream().map(NewTaskInstance::pool).toArray(String[]::new),
                tasks.stream().mapToInt(NewTaskInstance::poolSlots).toArray());
        return record;
    }

    // ON CONFLICT DO NOTHING covers both unique keys (run id, logical date): concurrent triggers create one run.
    @SqlQuery("""
            INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state,
                external_trigger, conf, note, queued_at, triggered_by_dag_id, triggered_by_run_id, triggered_by_task_id,
                updated_at)
            VALUES (:dagId, :runId, :runType, :logicalDate, :start, :end, 'queued', :external, CAST(:conf AS JSONB),
                :note, :now, :byDag, :byRun, :byTask, :now)
            ON CONFLICT DO NOTHING
            RETURNING\s""" + COLUMNS)
    Optional<RunRecord> insert(@Bind("dagId") String dagId, @Bind("runId") String runId,
                               @Bind("runType") String runType, @Bind("logicalDate") Instant logicalDate,
                               @Bind("start") Instant start, @Bind("end") Instant end,
                               @Bind("external") boolean external, @Bind("conf") String conf,
                               @Bind("note") String note, @Bind("now") Instant now, @Bind("byDag") String byDag,
                               @Bind("byRun") String byRun, @Bind("byTask") String byTask);

    @SqlUpdate("""
            INSERT INTO task_instance (run_pk, dag_id, run_id, logical_date, task_id, operator, max_tries,
                priority_weight, pool, pool_slots)
            SELECT :runPk, :dagId, :runId, :logicalDate, t.task_id, t.operator, t.max_tries, t.priority_weight,
                t.pool, t.pool_slots
            FROM unnest(:taskIds, :operators, :maxTries, :weights, :pools, :slots)
                AS t(task_id, operator, max_tries, priority_weight, pool, pool_slots)""")
    void insertTasks(@Bind("runPk") long runPk, @Bind("dagId") String dagId, @Bind("runId") String runId,
                     @Bind("logicalDate") Instant logicalDate, @Bind("taskIds") String[] taskIds,
                     @Bind("operators") String[] operators, @Bind("maxTries") int[] maxTries,
                     @Bind("weights") int[] weights, @Bind("pools") String[] pools, @Bind("slots") int[] slots);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId AND run_id = :runId")
    Optional<RunRecord> find(@Bind("dagId") String dagId, @Bind("runId") String runId);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE id = :id")
    Optional<RunRecord> find(@Bind("id") long id);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId AND logical_date = :logicalDate")
    Optional<RunRecord> findAt(@Bind("dagId") String dagId, @Bind("logicalDate") Instant logicalDate);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId ORDER BY logical_date")
    List<RunRecord> list(@Bind("dagId") String dagId);

    @Override
    default List<RunRecord> find(Collection<Long> ids) {
        return findAll(ids.stream().mapToLong(Long::longValue).toArray());
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE id = ANY(:ids)")
    List<RunRecord> findAll(@Bind("ids") long[] ids);

    @Override
    default Optional<DataInterval> lastAutomatedInterval(String dagId) {
        return lastAutomated(dagId).map(RunRecord::dataInterval);
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId AND run_type IN ('scheduled', 'backfill')"
            + " ORDER BY logical_date DESC LIMIT 1")
    Optional<RunRecord> lastAutomated(@Bind("dagId") String dagId);

    @Override
    @SqlQuery("SELECT count(*) FROM dag_run WHERE dag_id = :dagId AND external_trigger")
    int countExternallyTriggered(@Bind("dagId") String dagId);

    @Override
    @SqlQuery("SELECT count(*) FROM dag_run WHERE dag_id = :dagId AND state IN ('queued', 'running')")
    int countActive(@Bind("dagId") String dagId);

    @Override
    @Transaction
    default List<Long> startQueued(Instant now, FirstTasks firstTasks) {
        Locks.lock(this, Locks.START_RUNS);
        List<StartedRun> started = startQueuedRuns(now);
        if (started.isEmpty()) {
            return List.of();
        }
        Map<Long, String> dagByRun = new HashMap<>();
        started.forEach(r -> dagByRun.put(r.id(), r.dagId()));
        TaskInstanceDao taskInstances = getHandle().attach(TaskInstanceDao.class);
        List<Long> schedule = firstTasks.pick(dagByRun, taskInstances.statesOf(dagByRun.keySet()));
        taskInstances.transition(schedule, TaskState.NONE, TaskState.SCHEDULED, now);
        return started.stream().map(StartedRun::id).toList();
    }

    /** A run {@link #startQueuedRuns} started. */
    record StartedRun(long id, String dagId) {
    }

    // A run whose logical date is still in the future waits (Airflow B6.10).
    // Shaped so that every part is computed once whatever the statistics say: with statistics taken while few runs
    // were queued, a plain "id IN (SELECT … FROM candidates …)" was planned as a nested loop that recomputed the
    // candidates, and the running counts inside them, for every queued run (80 s for 851 queued runs).
    @SqlQuery("""
            WITH running AS MATERIALIZED (
                SELECT dag_id, count(*) AS n FROM dag_run WHERE state = 'running' GROUP BY dag_id
            ), candidates AS (
                SELECT r.id, d.max_active_runs, COALESCE(running.n, 0) AS n,
                       row_number() OVER (PARTITION BY r.dag_id ORDER BY r.logical_date, r.id) AS rank
                FROM dag_run r
                JOIN dag d ON d.dag_id = r.dag_id
                LEFT JOIN running ON running.dag_id = r.dag_id
                WHERE r.state = 'queued' AND d.is_active AND (NOT d.is_paused OR r.run_type = 'backfill')
                  AND r.logical_date <= :now
            )
            UPDATE dag_run SET state = 'running', start_date = :now, needs_scheduling = TRUE, updated_at = :now
            WHERE id = ANY(ARRAY(SELECT id FROM candidates WHERE n + rank <= max_active_runs))
              AND (state = 'queued') IS TRUE
            RETURNING id, dag_id""")
    List<StartedRun> startQueuedRuns(@Bind("now") Instant now);

    @Override
    @SqlQuery("""
            UPDATE dag_run SET needs_scheduling = FALSE
            WHERE id IN (
                SELECT r.id FROM dag_run r JOIN dag d ON d.dag_id = r.dag_id
                WHERE r.needs_scheduling AND r.state = 'running' AND (NOT d.is_paused OR r.run_type = 'backfill')
                ORDER BY r.id LIMIT :limit FOR UPDATE OF r SKIP LOCKED)
            RETURNING id""")
    List<Long> takeRunsToExamine(@Bind("limit") int limit);

    @Override
    @SqlQuery("SELECT r.id FROM dag_run r JOIN dag d ON d.dag_id = r.dag_id WHERE r.state = 'running'"
            + " AND (NOT d.is_paused OR r.run_type = 'backfill')")
    List<Long> runningIds();

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE state = 'running'"
            + " AND dag_id IN (SELECT dag_id FROM dag WHERE has_dagrun_timeout)")
    List<RunRecord> runningWithTimeout();

    @Override
    default void markForExamination(Collection<Long> runIds) {
        if (!runIds.isEmpty()) {
            mark(runIds.stream().mapToLong(Long::longValue).distinct().toArray());
        }
    }

    // Unconditional on purpose: the row lock makes a scheduler that takes the mark wait until this transaction's
    // task changes are committed, so it never examines the run before them and loses the wake-up.
    @SqlUpdate("UPDATE dag_run SET needs_scheduling = TRUE WHERE id = ANY(:ids)")
    void mark(@Bind("ids") long[] ids);

    @Override
    @SqlQuery("SELECT state FROM dag_run WHERE id = :id FOR UPDATE")
    Optional<RunState> lock(@Bind("id") long runId);

    @Override
    default boolean finish(long runId, RunState state, Instant now) {
        return finish(runId, state.wireName(), now);
    }

    @SqlUpdate("""
            UPDATE dag_run SET state = :state, end_date = :now, last_scheduling_decision = :now, updated_at = :now
            WHERE id = :id AND state = 'running'""")
    boolean finish(@Bind("id") long id, @Bind("state") String state, @Bind("now") Instant now);

    @Override
    @SqlUpdate("""
            UPDATE dag_run SET state = 'queued', start_date = NULL, end_date = NULL, last_scheduling_decision = NULL,
                clear_number = clear_number + 1, queued_at = :now, needs_scheduling = TRUE, awaits_trigger = FALSE,
                updated_at = :now
            WHERE id = :id AND state IN ('success', 'failed')""")
    boolean requeue(@Bind("id") long runId, @Bind("now") Instant now);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM dag_run WHERE triggered_by_dag_id = :dagId AND triggered_by_run_id = :runId"
            + " AND triggered_by_task_id = :taskId ORDER BY id")
    List<RunRecord> triggeredBy(@Bind("dagId") String dagId, @Bind("runId") String runId,
                                @Bind("taskId") String taskId);

    @Override
    @SqlUpdate("UPDATE dag_run SET awaits_trigger = TRUE, updated_at = :now WHERE id = :id"
            + " AND state IN ('success', 'failed')")
    boolean awaitTrigger(@Bind("id") long runId, @Bind("now") Instant now);

    @Override
    default Optional<RunRecord> releaseAwaitingTrigger(String dagId, TaskKey by, Instant now) {
        return releaseAwaitingTrigger(dagId, by.dagId(), by.runId(), by.taskId(), now);
    }

    // Every trigger try asks: the triggered_by index finds the (usually no) rows, awaits_trigger filters them.
    @SqlQuery("""
            UPDATE dag_run SET state = 'queued', start_date = NULL, end_date = NULL, last_scheduling_decision = NULL,
                clear_number = clear_number + 1, queued_at = :now, needs_scheduling = TRUE, awaits_trigger = FALSE,
                updated_at = :now
            WHERE dag_id = :dagId AND triggered_by_dag_id = :byDag AND triggered_by_run_id = :byRun
                AND triggered_by_task_id = :byTask AND awaits_trigger AND state IN ('success', 'failed')
            RETURNING\s""" + COLUMNS)
    Optional<RunRecord> releaseAwaitingTrigger(@Bind("dagId") String dagId, @Bind("byDag") String byDag,
                                               @Bind("byRun") String byRun, @Bind("byTask") String byTask,
                                               @Bind("now") Instant now);

    @Override
    default boolean setState(long runId, RunState from, RunState to, Instant now) {
        return setState(runId, from.wireName(), to.wireName(), to.isFinished(), now);
    }

    @SqlUpdate("""
            UPDATE dag_run SET state = :to,
                end_date = CASE WHEN :finished THEN CAST(:now AS TIMESTAMPTZ) ELSE NULL END,
                start_date = CASE WHEN CAST(:to AS TEXT) = 'queued' THEN NULL ELSE start_date END,
                queued_at = CASE WHEN CAST(:to AS TEXT) = 'queued' THEN CAST(:now AS TIMESTAMPTZ) ELSE queued_at END,
                needs_scheduling = TRUE, updated_at = :now
            WHERE id = :id AND state = :from""")
    boolean setState(@Bind("id") long runId, @Bind("from") String from, @Bind("to") String to,
                     @Bind("finished") boolean finished, @Bind("now") Instant now);

    @Override
    @SqlUpdate("DELETE FROM dag_run WHERE id = :id")
    boolean delete(@Bind("id") long runId);
}
