package dev.weft.store;

import dev.weft.spi.TaskKey;
import dev.weft.engine.json.Json;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.store.TryKey;
import dev.weft.engine.store.TryOutcome;
import dev.weft.spi.TaskState;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
@RegisterRowMapper(TaskInstanceRows.StateRows.class)
@RegisterRowMapper(TaskInstanceRows.ClaimedTries.class)
@RegisterRowMapper(TaskInstanceRows.Candidates.class)
@RegisterRowMapper(TaskInstanceRows.FinishedRows.class)
@RegisterRowMapper(TaskInstanceRows.SlotHolders.class)
public interface TaskInstanceDao extends TaskInstanceStore, SqlObject {
    String COLUMNS = "id, run_pk, dag_id, run_id, task_id, state, try_number, max_tries, priority_weight, pool, "
            + "pool_slots, operator, logical_date, queued_at, start_date, end_date, duration, next_attempt_at, "
            + "worker_id, hostname, first_poke_at, poke_count, sensor_memo, output::text AS output, plugin, "
            + "plugin_version, note, updated_at";
    String FINISHED = "('success', 'failed', 'skipped', 'upstream_failed', 'removed')";

    /** A scheduled task instance that may be queued, with the limits that apply to it. */
    record Candidate(long id, String dagId, String pool, int poolSlots, int maxActiveTasks) {
    }

    /** Slots held by queued and running task instances, per DAG and pool. */
    record Usage(String dagId, String pool, int tasks, int slots) {
    }

    /** A try whose outcome was written. */
    record Finished(long id, long runPk, int tryNumber, String state, String dagId, String taskId) {
    }

    @Override
    default List<TaskStateRow> statesOf(Collection<Long> runIds) {
        return statesOf(runIds.stream().mapToLong(Long::longValue).toArray());
    }

    @SqlQuery("SELECT id, run_pk, task_id, state, try_number, max_tries FROM task_instance WHERE run_pk = ANY(:ids)")
    List<TaskStateRow> statesOf(@Bind("ids") long[] runIds);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM task_instance WHERE run_pk = :runId ORDER BY task_id")
    List<TaskInstanceRecord> ofRun(@Bind("runId") long runId);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM task_instance WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId")
    Optional<TaskInstanceRecord> find(@Bind("dagId") String dagId, @Bind("runId") String runId,
                                      @Bind("taskId") String taskId);

    @Override
    default int transition(Collection<Long> ids, TaskState from, TaskState to, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        boolean newTry = to == TaskState.SCHEDULED && (from == TaskState.NONE || from == TaskState.UP_FOR_RETRY);
        return transition(ids.stream().mapToLong(Long::longValue).toArray(), from.wireName(), to.wireName(),
                newTry ? 1 : 0, to.isFinished(), now);
    }

    // "(state = …) IS TRUE", here and in the other updates by id: the same test for a NOT NULL column, but one the
    // planner cannot match to a partial index's predicate. Plain "state = 'scheduled'" lets it scan all of ti_scheduled
    // instead of looking the ids up, which it prefers whenever its statistics (taken when little was scheduled) say
    // that index is small: in a burst, every call then reads every scheduled row.
    @SqlUpdate("""
            UPDATE task_instance SET state = :to, try_number = try_number + :tryIncrement,
                start_date = CASE WHEN :finished THEN COALESCE(start_date, :now) ELSE start_date END,
                end_date = CASE WHEN :finished THEN :now ELSE end_date END,
                updated_at = :now
            WHERE id = ANY(:ids) AND (state = :from) IS TRUE""")
    int transition(@Bind("ids") long[] ids, @Bind("from") String from, @Bind("to") String to,
                   @Bind("tryIncrement") int tryIncrement, @Bind("finished") boolean finished, @Bind("now") Instant now);

    // A retry is a new try. Due reschedules are not moved here: workers claim them straight (see claim).
    @Override
    @SqlUpdate("""
            UPDATE task_instance t SET state = 'scheduled', try_number = t.try_number + 1,
                next_attempt_at = NULL, updated_at = :now
            FROM dag_run r
            WHERE r.id = t.run_pk AND r.state = 'running'
              AND t.state = 'up_for_retry' AND t.next_attempt_at <= :now""")
    int scheduleDue(@Bind("now") Instant now);

    /**
     * Queues in a transaction of its own that commits without waiting for its WAL flush. The queueing lock is held to
     * the end of the transaction: a durable commit held it through an fsync, while every other queueing (the other
     * schedulers', the workers' after their write-backs) waited for it. A crash may lose such a commit; its task
     * instances are then scheduled again, and the next pass queues them. No claim of one can have outlived it: a claim
     * commits durably, which flushes the log up to it, this commit included.
     */
    @Override
    default int queue(int parallelism, Instant now) {
        if (getHandle().isInTransaction()) {
            throw new IllegalStateException("queueing commits on its own, without waiting for its WAL flush: it must "
                    + "not run inside another transaction, whose commit would then not wait either");
        }
        // Most passes have nothing to queue: skip the lock and the usage queries then. Safe without the lock, as
        // whoever makes a task instance scheduled calls this afterwards.
        if (!anyScheduled()) {
            return 0;
        }
        return getHandle().inTransaction(handle -> {
            handle.execute("SET LOCAL synchronous_commit TO off");
            Locks.lock(this, Locks.QUEUE);
            List<Long> picked = pick(parallelism, Integer.MAX_VALUE, this::candidates);
            return picked.isEmpty() ? 0 : markQueued(picked.stream().mapToLong(Long::longValue).toArray(), now);
        });
    }

    /** A query of candidates in the order they should get slots, leaving out full DAGs and pools and those picked. */
    @FunctionalInterface
    interface CandidateQuery {
        List<Candidate> find(String[] fullDags, String[] fullPools, long[] picked, int limit);
    }

    /**
     * Picks candidates, in order, as far as the global parallelism, each DAG's max_active_tasks and each pool's free
     * slots allow, and at most {@code cap}. The caller holds the queue lock.
     */
    default List<Long> pick(int parallelism, int cap, CandidateQuery query) {
        int total = 0;
        Map<String, Integer> byDag = new HashMap<>();
        Map<String, Integer> poolUsed = new HashMap<>();
        Map<String, Integer> poolSize = new HashMap<>();
        for (Usage u : usageAndPoolSizes()) {
            if (u.dagId() == null) {
                poolSize.put(u.pool(), u.slots());
            } else {
                total += u.tasks();
                byDag.merge(u.dagId(), u.tasks(), Integer::sum);
                poolUsed.merge(u.pool(), u.slots(), Integer::sum);
            }
        }
        Set<String> fullDags = new HashSet<>();
        Set<String> fullPools = new HashSet<>();
        List<Long> picked = new ArrayList<>();
        // A few rounds: a round's candidates may all belong to DAGs or pools that filled up during it; excluding
        // full ones in the query keeps one busy DAG from starving the others. So a round reads as many as it may
        // pick, not more: twice as many (as before the rounds) doubled the rows every queueing and claim read.
        for (int round = 0; round < 4 && total < parallelism && picked.size() < cap; round++) {
            int want = Math.min(parallelism - total, cap - picked.size());
            List<Candidate> candidates = query.find(fullDags.toArray(String[]::new),
                    fullPools.toArray(String[]::new), picked.stream().mapToLong(Long::longValue).toArray(),
                    Math.max(want, 64));
            if (candidates.isEmpty()) {
                break;
            }
            boolean blocked = false;
            for (Candidate c : candidates) {
                if (total >= parallelism || picked.size() >= cap) {
                    break;
                }
                int dagActive = byDag.getOrDefault(c.dagId(), 0);
                if (dagActive >= c.maxActiveTasks()) {
                    fullDags.add(c.dagId());
                    blocked = true;
                    continue;
                }
                int size = poolSize.getOrDefault(c.pool(), 0);
                int used = poolUsed.getOrDefault(c.pool(), 0);
                if (used + c.poolSlots() > size) {
                    fullPools.add(c.pool());
                    blocked = true;
                    continue;
                }
                picked.add(c.id());
                byDag.put(c.dagId(), dagActive + 1);
                poolUsed.put(c.pool(), used + c.poolSlots());
                total++;
            }
            if (!blocked) {
                break;
            }
        }
        return picked;
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM task_instance WHERE state = 'scheduled')")
    boolean anyScheduled();

    /**
     * The slots in use by DAG and pool, then each pool's size (a row without a DAG): one statement, as it runs under
     * the queue lock at every queueing and every claim of due re-pokes.
     */
    @SqlQuery("""
            SELECT dag_id, pool, count(*) AS tasks, sum(pool_slots) AS slots
            FROM task_instance WHERE state IN ('queued', 'running') GROUP BY dag_id, pool
            UNION ALL
            SELECT NULL, name, 0, slots FROM pool""")
    List<Usage> usageAndPoolSizes();

    // The runs that may run tasks are computed once (an init plan over the active runs), not joined: a plan cached
    // while dag_run was small joined it with a sequential scan of the whole table for every candidate.
    String CANDIDATES = """
            SELECT t.id, t.dag_id, t.pool, t.pool_slots, d.max_active_tasks
            FROM task_instance t
            JOIN dag d ON d.dag_id = t.dag_id
            WHERE t.run_pk = ANY(ARRAY(
                  SELECT r.id FROM dag_run r JOIN dag rd ON rd.dag_id = r.dag_id
                  WHERE r.state = 'running' AND (NOT rd.is_paused OR r.run_type = 'backfill')))
              AND t.dag_id <> ALL(:fullDags) AND t.pool <> ALL(:fullPools) AND t.id <> ALL(:picked)
              AND """;
    String CANDIDATES_ORDER = " ORDER BY t.logical_date, t.priority_weight DESC, t.id LIMIT :limit";

    @SqlQuery(CANDIDATES + " t.state = 'scheduled'" + CANDIDATES_ORDER)
    List<Candidate> candidates(@Bind("fullDags") String[] fullDags, @Bind("fullPools") String[] fullPools,
                               @Bind("picked") long[] picked, @Bind("limit") int limit);

    // The ti_waiting index finds the due ones.
    @SqlQuery(CANDIDATES + " t.state = 'up_for_reschedule' AND t.next_attempt_at <= :now" + CANDIDATES_ORDER)
    List<Candidate> dueReschedules(@Bind("fullDags") String[] fullDags, @Bind("fullPools") String[] fullPools,
                                   @Bind("picked") long[] picked, @Bind("limit") int limit, @Bind("now") Instant now);

    @SqlUpdate("UPDATE task_instance SET state = 'queued', queued_at = :now, updated_at = :now"
            + " WHERE id = ANY(:ids) AND (state = 'scheduled') IS TRUE")
    int markQueued(@Bind("ids") long[] ids, @Bind("now") Instant now);

    String CLAIMED_COLUMNS = """
            t.id, t.run_pk, t.dag_id, t.run_id, t.task_id, t.try_number, t.max_tries, t.operator,
                t.start_date, t.first_poke_at, t.poke_count, t.sensor_memo, t.log_digest, t.log_repeats,
                t.last_reschedule_at""";
    String CLAIMED = "RETURNING " + CLAIMED_COLUMNS;
    /**
     * Ends a claim ({@code WITH claimed AS (UPDATE ... CLAIMED}): the claimed tries start without XComs, as Airflow
     * clears a task's XComs when it starts executing (B7.5), each re-poke of a reschedule-mode sensor too. The output
     * ({@code return_value}) and its secrets are set to NULL by the claim's update.
     */
    String XCOMS_CLEARED = """
            ), cleared AS (DELETE FROM xcom x USING claimed c WHERE x.ti_id = c.id)
            SELECT * FROM claimed""";

    @SqlQuery("SELECT " + CLAIMED_COLUMNS + """

            FROM task_instance t
            WHERE t.worker_id = :workerId AND t.state = 'running' AND t.start_date = ANY(:stamps)
            """)
    List<ClaimedTry> claimedAt(@Bind("workerId") String workerId, @Bind("stamps") Instant[] stamps);

    @Override
    default List<ClaimedTry> claimedAt(String workerId, Collection<Instant> stamps) {
        return claimedAt(workerId, stamps.toArray(Instant[]::new));
    }

    @Override
    default List<ClaimedTry> claim(String workerId, String hostname, int limit, int parallelism, Instant now) {
        List<ClaimedTry> claimed = claimQueued(workerId, hostname, limit, now);
        if (parallelism <= 0 || claimed.size() >= limit) {
            return claimed;
        }
        List<ClaimedTry> due = claimDueReschedules(workerId, hostname, limit - claimed.size(), parallelism, now);
        if (due.isEmpty()) {
            return claimed;
        }
        List<ClaimedTry> all = new ArrayList<>(claimed);
        all.addAll(due);
        return all;
    }

    @SqlQuery("""
            WITH claimed AS (
            UPDATE task_instance t SET state = 'running', worker_id = :workerId, hostname = :hostname,
                start_date = :now, end_date = NULL, duration = NULL, output = NULL, output_secrets = NULL,
                updated_at = :now
            WHERE t.id IN (
                SELECT id FROM task_instance WHERE state = 'queued'
                ORDER BY logical_date, priority_weight DESC, id
                LIMIT :limit FOR UPDATE SKIP LOCKED)
            """ + CLAIMED + XCOMS_CLEARED)
    List<ClaimedTry> claimQueued(@Bind("workerId") String workerId, @Bind("hostname") String hostname,
                                 @Bind("limit") int limit, @Bind("now") Instant now);

    /**
     * A due reschedule goes from up_for_reschedule to running in one statement, within the limits the queueing step
     * applies (under its lock): one write to claim a re-poke and one to write it back, where scheduled and queued
     * took two more.
     */
    @Transaction
    default List<ClaimedTry> claimDueReschedules(String workerId, String hostname, int limit, int parallelism,
                                                 Instant now) {
        if (!anyDueReschedule(now)) {
            return List.of();
        }
        Locks.lock(this, Locks.QUEUE);
        List<Long> picked = pick(parallelism, limit,
                (fullDags, fullPools, taken, max) -> dueReschedules(fullDags, fullPools, taken, max, now));
        return picked.isEmpty() ? List.of()
                : markClaimed(picked.stream().mapToLong(Long::longValue).toArray(), workerId, hostname, now);
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM task_instance WHERE state = 'up_for_reschedule'"
            + " AND next_attempt_at <= :now)")
    boolean anyDueReschedule(@Bind("now") Instant now);

    @SqlQuery("""
            WITH claimed AS (
            UPDATE task_instance t SET state = 'running', worker_id = :workerId, hostname = :hostname,
                start_date = :now, end_date = NULL, duration = NULL, next_attempt_at = NULL, output = NULL,
                output_secrets = NULL, updated_at = :now
            WHERE t.id = ANY(:ids) AND (t.state = 'up_for_reschedule') IS TRUE AND t.next_attempt_at <= :now
            """ + CLAIMED + XCOMS_CLEARED)
    List<ClaimedTry> markClaimed(@Bind("ids") long[] ids, @Bind("workerId") String workerId,
                                 @Bind("hostname") String hostname, @Bind("now") Instant now);

    @Override
    @Transaction
    default FinishFollowUp.Result finish(Collection<TryOutcome> outcomes, FinishFollowUp followUp, Instant now) {
        if (outcomes.isEmpty()) {
            return new FinishFollowUp.Result(List.of(), 0, 0, false, List.of());
        }
        int n = outcomes.size();
        long[] ids = new long[n];
        int[] tries = new int[n];
        String[] states = new String[n];
        Instant[] ends = new Instant[n];
        Instant[] nexts = new Instant[n];
        String[] outputs = new String[n];
        Instant[] firstPokes = new Instant[n];
        int[] pokeCounts = new int[n];
        String[] memos = new String[n];
        String[] plugins = new String[n];
        String[] versions = new String[n];
        String[] digests = new String[n];
        int[] repeats = new int[n];
        // By try, not by task instance: a batch may hold a stale try's outcome beside its retry's.
        Map<TryKey, TryOutcome> byTry = new HashMap<>();
        int i = 0;
        for (TryOutcome o : outcomes) {
            ids[i] = o.id();
            tries[i] = o.tryNumber();
            states[i] = o.state().wireName();
            ends[i] = o.endDate();
            nexts[i] = o.nextAttemptAt();
            outputs[i] = o.outputJson();
            firstPokes[i] = o.firstPokeAt();
            pokeCounts[i] = o.pokeCount();
            memos[i] = o.sensorMemo() == null ? null : Json.write(o.sensorMemo());
            plugins[i] = o.plugin();
            versions[i] = o.pluginVersion();
            digests[i] = o.logDigest();
            repeats[i] = o.logRepeats();
            byTry.put(TryKey.of(o), o);
            i++;
        }
        // Before the outcomes overwrite them: the pokes of tries that stop rescheduling, as one row each.
        List<TryOutcome> ending = outcomes.stream().filter(o -> o.state() != TaskState.UP_FOR_RESCHEDULE).toList();
        if (!ending.isEmpty()) {
            recordReschedules(ending.stream().mapToLong(TryOutcome::id).toArray(),
                    ending.stream().mapToInt(TryOutcome::tryNumber).toArray());
        }
        List<Finished> written = writeOutcomes(ids, tries, states, ends, nexts, outputs, firstPokes, pokeCounts, memos,
                plugins, versions, digests, repeats);
        Set<Long> runs = new HashSet<>();
        List<TryOutcome> tried = new ArrayList<>();
        List<FinishFollowUp.Written> done = new ArrayList<>(written.size());
        for (Finished f : written) {
            TryOutcome o = byTry.get(new TryKey(f.id(), f.tryNumber()));
            if (o.state() != TaskState.UP_FOR_RESCHEDULE) {
                tried.add(o);
            }
            done.add(new FinishFollowUp.Written(f.id(), f.runPk(), f.dagId(), f.taskId(), o.state()));
        }
        // In this transaction, and only for outcomes it wrote: a callback runs once per try that really ended so,
        // not for a stale write-back the compare-and-set refused.
        List<CallbackRequest> callbacks = written.stream().map(f -> byTry.get(new TryKey(f.id(), f.tryNumber())))
                .map(TryOutcome::callback).filter(Objects::nonNull).toList();
        if (!callbacks.isEmpty()) {
            getHandle().attach(CallbackDao.class).add(callbacks, now);
        }
        if (!tried.isEmpty()) {
            recordTries(tried.stream().mapToLong(TryOutcome::id).toArray(),
                    tried.stream().mapToInt(TryOutcome::tryNumber).toArray(),
                    tried.stream().map(o -> o.state().wireName()).toArray(String[]::new));
        }
        runs.addAll(skipBranches(written, byTry, now));
        // Tries cleared while running (state restarting) run again as a new try.
        Set<TryKey> missed = new HashSet<>(byTry.keySet());
        written.forEach(f -> missed.remove(new TryKey(f.id(), f.tryNumber())));
        if (!missed.isEmpty()) {
            runs.addAll(restart(missed.stream().mapToLong(TryKey::id).toArray(),
                    missed.stream().mapToInt(TryKey::tryNumber).toArray()));
        }
        boolean datasetEventsQueued = recordDatasetEvents(written, byTry, followUp, now);
        int scheduled = 0;
        List<FinishFollowUp.EndedRun> endedRuns = List.of();
        if (!done.isEmpty()) {
            List<TaskStateRow> read = statesOfTasks(followUp.tasksToRead(done));
            FinishFollowUp.Plan plan = followUp.plan(done, read);
            runs.addAll(plan.runsToExamine());
            endedRuns = endRuns(ended(plan.runsToExamineIfDone()), followUp, runs, now);
            scheduled = transition(plan.schedule(), TaskState.NONE, TaskState.SCHEDULED, now);
            if (scheduled < plan.schedule().size()) {
                // Something else moved one of them meanwhile: let the scheduler look at these runs.
                done.forEach(w -> runs.add(w.runPk()));
            }
        }
        if (!runs.isEmpty()) {
            getHandle().attach(RunDao.class).markForExamination(runs);
        }
        return new FinishFollowUp.Result(done, scheduled, 0, !runs.isEmpty() || datasetEventsQueued, endedRuns);
    }

    /**
     * Ends the given runs (their rows locked, none of their task instances unfinished) as the follow-up decides from
     * all their task instances, with the run callbacks it gives; adds the runs it does not end to {@code toMark}.
     */
    private List<FinishFollowUp.EndedRun> endRuns(List<Long> done, FinishFollowUp followUp, Set<Long> toMark,
                                                  Instant now) {
        if (done.isEmpty()) {
            return List.of();
        }
        RunDao runDao = getHandle().attach(RunDao.class);
        List<RunRecord> records = runDao.find(done);
        Map<Long, FinishFollowUp.RunEnd> ends = followUp.runEnds(records, statesOf(done));
        List<FinishFollowUp.EndedRun> ended = new ArrayList<>();
        List<CallbackRequest> callbacks = new ArrayList<>();
        for (RunRecord run : records) {
            FinishFollowUp.RunEnd end = ends.get(run.id());
            if (end != null && runDao.finish(run.id(), end.state(), now)) {
                ended.add(new FinishFollowUp.EndedRun(run.dagId(), run.runId(), end.state(), run.startDate()));
                if (end.callback() != null) {
                    callbacks.add(end.callback());
                }
            } else {
                toMark.add(run.id());
            }
        }
        if (!callbacks.isEmpty()) {
            getHandle().attach(CallbackDao.class).add(callbacks, now);
        }
        return ended;
    }

    /**
     * Records the dataset events of the tries that succeeded, in the write-back's transaction: an event exists if and
     * only if its try's success does. Returns whether a consumer DAG has new events queued (the schedulers decide).
     */
    private boolean recordDatasetEvents(List<Finished> written, Map<TryKey, TryOutcome> byTry,
                                        FinishFollowUp followUp, Instant now) {
        List<Long> ids = new ArrayList<>();
        List<Integer> tries = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (Finished f : written) {
            if (byTry.get(new TryKey(f.id(), f.tryNumber())).state() != TaskState.SUCCESS) {
                continue;
            }
            for (String uri : followUp.outlets(f.dagId(), f.taskId())) {
                ids.add(f.id());
                tries.add(f.tryNumber());
                uris.add(uri);
            }
        }
        return !ids.isEmpty() && getHandle().attach(DatasetDao.class).emitForTries(
                ids.stream().mapToLong(Long::longValue).toArray(), tries.stream().mapToInt(Integer::intValue).toArray(),
                uris.toArray(String[]::new), now) > 0;
    }

    /**
     * Skips the tasks the written branching successes chose not to follow (their {@link TryOutcome#skipTasks()}),
     * where they still wait: none or scheduled. Returns their runs, for the scheduler to propagate the skips by
     * trigger rule.
     */
    private Set<Long> skipBranches(List<Finished> written, Map<TryKey, TryOutcome> byTry, Instant now) {
        Map<Long, Set<String>> skipByRun = new HashMap<>();
        for (Finished f : written) {
            TryOutcome o = byTry.get(new TryKey(f.id(), f.tryNumber()));
            if (o.state() == TaskState.SUCCESS && !o.skipTasks().isEmpty()) {
                skipByRun.computeIfAbsent(f.runPk(), k -> new HashSet<>()).addAll(o.skipTasks());
            }
        }
        if (skipByRun.isEmpty()) {
            return Set.of();
        }
        Map<TaskState, List<Long>> waiting = new EnumMap<>(TaskState.class);
        for (TaskStateRow row : statesOfTasks(skipByRun)) {
            if (row.state() == TaskState.NONE || row.state() == TaskState.SCHEDULED) {
                waiting.computeIfAbsent(row.state(), k -> new ArrayList<>()).add(row.id());
            }
        }
        waiting.forEach((from, ids) -> transition(ids, from, TaskState.SKIPPED, now));
        return skipByRun.keySet();
    }

    /**
     * Of the given runs, those without an unfinished task instance. Their rows are locked first (in id order, so
     * write-backs do not deadlock), so that a concurrent write-back that finishes another of their task instances
     * waits, then sees this one's outcome: one of the two always finds the run done.
     */
    default List<Long> ended(Set<Long> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        long[] ids = runs.stream().mapToLong(Long::longValue).toArray();
        lockRuns(ids);
        return withoutUnfinished(ids);
    }

    @SqlQuery("SELECT id FROM dag_run WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
    List<Long> lockRuns(@Bind("ids") long[] runIds);

    // A correlated subquery, not NOT EXISTS: an anti-join may be planned as a scan of the whole table when the
    // statistics say few task instances are unfinished; this looks up each run's own rows and stops at the first.
    @SqlQuery("SELECT v.id FROM unnest(:ids) AS v(id) WHERE (SELECT 1 FROM task_instance t WHERE t.run_pk = v.id"
            + " AND t.state NOT IN " + FINISHED + " LIMIT 1) IS NULL")
    List<Long> withoutUnfinished(@Bind("ids") long[] runIds);

    /** The states of the given tasks' instances in the given runs, of runs still running (none of others). */
    default List<TaskStateRow> statesOfTasks(Map<Long, Set<String>> tasksByRun) {
        List<Long> runPks = new ArrayList<>();
        List<String> taskIds = new ArrayList<>();
        tasksByRun.forEach((run, tasks) -> tasks.forEach(task -> {
            runPks.add(run);
            taskIds.add(task);
        }));
        if (runPks.isEmpty()) {
            return List.of();
        }
        return statesOfTasks(runPks.stream().mapToLong(Long::longValue).toArray(), taskIds.toArray(String[]::new));
    }

    @SqlQuery("""
            SELECT t.id, t.run_pk, t.task_id, t.state, t.try_number, t.max_tries
            FROM unnest(:runs, :tasks) AS v(run_pk, task_id)
            JOIN task_instance t ON t.run_pk = v.run_pk AND t.task_id = v.task_id
            JOIN dag_run r ON r.id = t.run_pk AND r.state = 'running'""")
    List<TaskStateRow> statesOfTasks(@Bind("runs") long[] runPks, @Bind("tasks") String[] taskIds);

    @SqlQuery("""
            UPDATE task_instance t SET state = v.state, end_date = v.end_date,
                duration = EXTRACT(EPOCH FROM v.end_date - t.start_date),
                next_attempt_at = v.next_attempt_at, output = CAST(v.output AS JSONB),
                first_poke_at = v.first_poke_at, poke_count = v.poke_count,
                sensor_memo = CAST(v.memo AS JSONB), plugin = v.plugin, plugin_version = v.plugin_version,
                try_pokes = CASE WHEN v.state = 'up_for_reschedule' THEN t.try_pokes + 1 ELSE 0 END,
                try_first_poke_at = CASE WHEN v.state <> 'up_for_reschedule' THEN NULL
                                         WHEN t.try_pokes = 0 THEN t.start_date ELSE t.try_first_poke_at END,
                last_reschedule_at = CASE WHEN v.state = 'up_for_reschedule' THEN v.end_date END,
                log_digest = v.log_digest, log_repeats = v.log_repeats,
                updated_at = now()
            FROM unnest(:ids, :tries, :states, :ends, :nexts, :outputs, :firstPokes, :pokeCounts, :memos, :plugins,
                        :versions, :digests, :repeats)
                AS v(id, try_number, state, end_date, next_attempt_at, output, first_poke_at, poke_count, memo, plugin,
                     plugin_version, log_digest, log_repeats)
            WHERE t.id = v.id AND (t.state = 'running') IS TRUE AND t.try_number = v.try_number
            RETURNING t.id, t.run_pk, t.try_number, t.state, t.dag_id, t.task_id""")
    List<Finished> writeOutcomes(@Bind("ids") long[] ids, @Bind("tries") int[] tries, @Bind("states") String[] states,
                                 @Bind("ends") Instant[] ends, @Bind("nexts") Instant[] nexts,
                                 @Bind("outputs") String[] outputs, @Bind("firstPokes") Instant[] firstPokes,
                                 @Bind("pokeCounts") int[] pokeCounts, @Bind("memos") String[] memos,
                                 @Bind("plugins") String[] plugins, @Bind("versions") String[] versions,
                                 @Bind("digests") String[] digests, @Bind("repeats") int[] repeats);

    @SqlUpdate("""
            INSERT INTO task_try (ti_id, try_number, state, start_date, end_date, duration, hostname, worker_id,
                operator, plugin, plugin_version)
            SELECT t.id, v.try_number, v.state, t.start_date, t.end_date, t.duration, t.hostname, t.worker_id,
                t.operator, t.plugin, t.plugin_version
            FROM unnest(:ids, :tries, :states) AS v(id, try_number, state)
            JOIN task_instance t ON t.id = v.id
            ON CONFLICT (ti_id, try_number) DO UPDATE SET state = EXCLUDED.state, end_date = EXCLUDED.end_date,
                duration = EXCLUDED.duration""")
    void recordTries(@Bind("ids") long[] ids, @Bind("tries") int[] tries, @Bind("states") String[] states);

    // Same compare-and-set as writeOutcomes; the rows are locked so that what this reads is what that overwrites.
    @SqlUpdate("""
            INSERT INTO task_reschedule (ti_id, try_number, start_date, end_date, duration, reschedule_date,
                poke_count)
            SELECT t.id, t.try_number, t.try_first_poke_at, t.last_reschedule_at,
                EXTRACT(EPOCH FROM t.last_reschedule_at - t.try_first_poke_at), t.start_date, t.try_pokes
            FROM unnest(:ids, :tries) AS v(id, try_number)
            JOIN task_instance t ON t.id = v.id AND t.try_number = v.try_number
            WHERE (t.state = 'running') IS TRUE AND t.try_pokes > 0
            FOR UPDATE OF t""")
    void recordReschedules(@Bind("ids") long[] ids, @Bind("tries") int[] tries);

    // The try number too: an outcome of an older try must not restart a newer one that was cleared.
    @SqlQuery("""
            UPDATE task_instance t SET state = 'none', worker_id = NULL, end_date = now(), updated_at = now()
            FROM unnest(:ids, :tries) AS v(id, try_number)
            WHERE t.id = v.id AND t.try_number = v.try_number AND (t.state = 'restarting') IS TRUE
            RETURNING t.run_pk""")
    List<Long> restart(@Bind("ids") long[] ids, @Bind("tries") int[] tries);


    // Restarting ones too: a try cleared while running goes back to none only in its worker's write-back, which a
    // lost worker never does. The lost workers are marked so: a late heartbeat of theirs changes nothing, and tells
    // the worker to fence its tries and register anew (a heartbeat that commits first keeps its worker off the list).
    @Override
    @SqlQuery("WITH lost AS (UPDATE worker SET lost_at = now() WHERE heartbeat_at < :before AND stopped_at IS NULL"
            + " AND lost_at IS NULL)"
            + " SELECT " + COLUMNS + " FROM task_instance t WHERE t.state IN ('running', 'restarting')"
            + " AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.worker_id = t.worker_id AND w.heartbeat_at >= :before"
            + " AND w.stopped_at IS NULL AND w.lost_at IS NULL)")
    List<TaskInstanceRecord> heldByLostWorkers(@Bind("before") Instant heartbeatBefore);

    @Override
    default List<TryKey> stopRequested(String workerId, Collection<TryKey> tries) {
        if (tries.isEmpty()) {
            return List.of();
        }
        return stopRequested(workerId, tries.stream().mapToLong(TryKey::id).toArray(),
                tries.stream().mapToInt(TryKey::tryNumber).toArray());
    }

    @SqlQuery("""
            SELECT v.id, v.try_number FROM unnest(:ids, :tries) AS v(id, try_number)
            LEFT JOIN task_instance t ON t.id = v.id
            WHERE t.id IS NULL OR t.state <> 'running' OR t.worker_id IS DISTINCT FROM :workerId
               OR t.try_number <> v.try_number""")
    List<TryKey> stopRequested(@Bind("workerId") String workerId, @Bind("ids") long[] ids,
                               @Bind("tries") int[] tries);

    @Override
    @Transaction
    default List<Long> clear(Map<Long, Integer> retriesById, Instant now) {
        if (retriesById.isEmpty()) {
            return List.of();
        }
        long[] ids = retriesById.keySet().stream().mapToLong(Long::longValue).toArray();
        int[] retries = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            retries[i] = retriesById.get(ids[i]);
        }
        deleteReschedules(ids);
        // Identical answers counted but not written yet end here: the log of the try keeps them.
        getHandle().attach(LogDao.class).append(repeatedAnswers(ids).stream().map(r -> new LogStore.Line(r.id(),
                r.tryNumber(), r.lastRescheduleAt(), LogStore.repeatsLine(r.logRepeats(), r.lastRescheduleAt())))
                .toList());
        List<Long> runIds = clear(ids, retries, now);
        getHandle().attach(RunDao.class).markForExamination(runIds);
        return runIds.stream().distinct().toList();
    }

    @SqlQuery("""
            UPDATE task_instance t SET
                state = CASE WHEN t.state = 'running' THEN 'restarting' ELSE 'none' END,
                max_tries = t.try_number + v.retries, next_attempt_at = NULL, first_poke_at = NULL, poke_count = 0,
                sensor_memo = NULL, try_pokes = 0, try_first_poke_at = NULL, last_reschedule_at = NULL,
                log_digest = NULL, log_repeats = 0, updated_at = :now
            FROM unnest(:ids, :retries) AS v(id, retries)
            WHERE t.id = v.id
            RETURNING t.run_pk""")
    List<Long> clear(@Bind("ids") long[] ids, @Bind("retries") int[] retries, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM task_reschedule WHERE ti_id = ANY(:ids)")
    void deleteReschedules(@Bind("ids") long[] ids);

    /** A try's identical poke answers counted on its task instance and not written to its log. */
    record RepeatedAnswers(long id, int tryNumber, int logRepeats, Instant lastRescheduleAt) {
    }

    @SqlQuery("SELECT id, try_number, log_repeats, last_reschedule_at FROM task_instance"
            + " WHERE id = ANY(:ids) AND log_repeats > 0")
    List<RepeatedAnswers> repeatedAnswers(@Bind("ids") long[] ids);

    @Override
    default List<TaskInstanceRecord> atLogicalDates(String dagId, Collection<String> taskIds,
                                                    Collection<Instant> logicalDates) {
        return atLogicalDates(dagId, taskIds.toArray(String[]::new), logicalDates.toArray(Instant[]::new));
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM task_instance WHERE dag_id = :dagId AND task_id = ANY(:taskIds)"
            + " AND logical_date = ANY(:dates) ORDER BY logical_date, task_id")
    List<TaskInstanceRecord> atLogicalDates(@Bind("dagId") String dagId, @Bind("taskIds") String[] taskIds,
                                            @Bind("dates") Instant[] logicalDates);

    @Override
    default void recordLookup(TaskKey by, String dagId, Collection<String> taskIds, Collection<Instant> logicalDates) {
        recordLookup(by.dagId(), by.runId(), by.taskId(), dagId,
                taskIds.isEmpty() ? new String[] {""} : taskIds.toArray(String[]::new),
                logicalDates.toArray(Instant[]::new));
    }

    // ON CONFLICT DO NOTHING: a sensor pokes the same dates again and again; only its first poke writes a row.
    @SqlUpdate("""
            INSERT INTO external_lookup (sensor_ti_id, dag_id, task_id, logical_date)
            SELECT ti.id, :dagId, t.task_id, d.logical_date
            FROM task_instance ti CROSS JOIN unnest(:taskIds) AS t(task_id) CROSS JOIN unnest(:dates) AS d(logical_date)
            WHERE ti.dag_id = :byDag AND ti.run_id = :byRun AND ti.task_id = :byTask
            ON CONFLICT DO NOTHING""")
    void recordLookup(@Bind("byDag") String byDag, @Bind("byRun") String byRun, @Bind("byTask") String byTask,
                      @Bind("dagId") String dagId, @Bind("taskIds") String[] taskIds, @Bind("dates") Instant[] dates);

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM task_instance WHERE id IN (SELECT sensor_ti_id FROM external_lookup"
            + " WHERE dag_id = :dagId AND logical_date = :date AND task_id IN (:taskId, '')) ORDER BY logical_date, id")
    List<TaskInstanceRecord> lookedAtBy(@Bind("dagId") String dagId, @Bind("taskId") String taskId,
                                        @Bind("date") Instant logicalDate);

    // The state written in the statement, not bound: a plan made for any state (the one PostgreSQL keeps for a
    // prepared statement after five runs) cannot use the partial index of the waiting ones and scans the table.
    @Override
    @SqlQuery("SELECT count(*) FROM task_instance WHERE state = 'up_for_reschedule'")
    int countWaitingReschedules();

    // A due re-poke waits for a slot as a scheduled task does (workers claim it straight from up_for_reschedule).
    // Waiting ones are counted by DAG and pool only: a row per task made 100,000 rows every housekeeping pass while
    // 100,000 sensors' re-pokes were due at once. Each arm of the condition is the predicate of a partial index
    // (ti_scheduled, ti_active, ti_waiting), so the read is theirs; written as one IN list it scanned the whole table,
    // history included.
    @Override
    @SqlQuery("""
            SELECT dag_id, CASE WHEN state IN ('queued', 'running') THEN task_id END AS task_id, pool,
                CASE WHEN state = 'up_for_reschedule' THEN 'scheduled' ELSE state END AS state,
                count(*) AS tasks, sum(pool_slots) AS slots
            FROM task_instance
            WHERE state = 'scheduled' OR state IN ('queued', 'running')
               OR (state = 'up_for_reschedule' AND next_attempt_at <= :now)
            GROUP BY 1, 2, 3, 4""")
    List<dev.weft.engine.store.SlotHolder> slotHolders(@Bind("now") Instant now);

    @Override
    @SqlUpdate("UPDATE task_instance SET state = :to, start_date = COALESCE(start_date, :now), end_date = :now,"
            + " updated_at = :now WHERE run_pk = :runId AND state NOT IN " + FINISHED)
    int finishUnfinished(@Bind("runId") long runId, @Bind("to") TaskState to, @Bind("now") Instant now);

    @Override
    default List<TaskInstanceRecord> select(String dagId, Collection<String> taskIds, Instant from, Instant to,
                                            Collection<TaskState> states, Collection<String> runIds) {
        return select(dagId, taskIds != null, taskIds == null ? new String[0] : taskIds.toArray(String[]::new),
                from, to, states != null,
                states == null ? new String[0] : states.stream().map(TaskState::wireName).toArray(String[]::new),
                runIds != null, runIds == null ? new String[0] : runIds.toArray(String[]::new));
    }

    @SqlQuery("SELECT " + COLUMNS + """
             FROM task_instance
            WHERE dag_id = :dagId
              AND (NOT :byTask OR task_id = ANY(:taskIds))
              AND (CAST(:from AS TIMESTAMPTZ) IS NULL OR logical_date >= :from)
              AND (CAST(:to AS TIMESTAMPTZ) IS NULL OR logical_date <= :to)
              AND (NOT :byState OR state = ANY(:states))
              AND (NOT :byRun OR run_id = ANY(:runIds))
            ORDER BY logical_date, task_id""")
    List<TaskInstanceRecord> select(@Bind("dagId") String dagId, @Bind("byTask") boolean byTask,
                                    @Bind("taskIds") String[] taskIds, @Bind("from") Instant from,
                                    @Bind("to") Instant to, @Bind("byState") boolean byState,
                                    @Bind("states") String[] states, @Bind("byRun") boolean byRun,
                                    @Bind("runIds") String[] runIds);

    @Override
    @Transaction
    default List<Long> setState(Collection<Long> ids, TaskState to, Instant now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Finished> changed = setState(ids.stream().mapToLong(Long::longValue).toArray(), to.wireName(),
                to.isFinished(), now);
        getHandle().attach(RunDao.class).markForExamination(changed.stream().map(Finished::runPk).toList());
        return changed.stream().map(Finished::id).toList();
    }

    // A try the worker is still running sees its task change state and stops; its outcome is then ignored.
    @SqlQuery("""
            UPDATE task_instance SET state = :to,
                start_date = CASE WHEN :finished THEN COALESCE(start_date, CAST(:now AS TIMESTAMPTZ))
                                  ELSE start_date END,
                end_date = CASE WHEN :finished THEN CAST(:now AS TIMESTAMPTZ) ELSE NULL END,
                duration = CASE WHEN :finished
                                THEN EXTRACT(EPOCH FROM CAST(:now AS TIMESTAMPTZ)
                                             - COALESCE(start_date, CAST(:now AS TIMESTAMPTZ)))
                                ELSE NULL END,
                next_attempt_at = NULL, updated_at = :now
            WHERE id = ANY(:ids) AND state <> :to
            RETURNING id, run_pk, try_number, state, dag_id, task_id""")
    List<Finished> setState(@Bind("ids") long[] ids, @Bind("to") String to, @Bind("finished") boolean finished,
                            @Bind("now") Instant now);
}
