package dev.weft.engine.runs;

import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.Transactor;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskKey;
import dev.weft.spi.dag.TaskSpec;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/** Triggering and clearing runs: what the API, the CLI, the UI and the trigger-dag-run operator ask for. */
public final class RunService {
    /** What "only failed" (clear) and "rerun failed tasks" (backfill) select. */
    private static final Set<TaskState> FAILED_STATES = EnumSet.of(TaskState.FAILED, TaskState.UPSTREAM_FAILED);

    private final DagStore dags;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final Transactor transactor;
    private final DagCatalog catalog;
    private final RunFactory runFactory;
    private final Wakeups wakeups;
    private final Clock clock;
    private final RecursiveClear recursiveClear;

    public RunService(DagStore dags, RunStore runs, TaskInstanceStore taskInstances, DatasetStore datasets,
                      Transactor transactor, DagCatalog catalog, RunFactory runFactory, Wakeups wakeups, Clock clock) {
        this.dags = dags;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.transactor = transactor;
        this.catalog = catalog;
        this.runFactory = runFactory;
        this.wakeups = wakeups;
        this.clock = clock;
        // The links between DAGs a recursive clear follows, one class per kind.
        this.recursiveClear = new RecursiveClear(List.of(
                new TriggeredRunEdge(runs::triggeredBy, taskInstances::ofRun),
                new ExternalSensorEdge(taskInstances::lookedAtBy, taskInstances::ofRun, catalog::get),
                new DatasetEventEdge(datasets::runsConsumingEventsOf, taskInstances::ofRun)), catalog::get);
    }

    /** A manual trigger's request; null run id and logical date take their defaults. */
    public record Trigger(String dagId, String runId, Instant logicalDate, DataInterval dataInterval,
                          Map<String, Object> conf, String note, TaskKey triggeredBy) {
    }

    /**
     * Creates a manual run ({@code external_trigger = true}, state queued). The logical date defaults to now; the run
     * id to {@code manual__<logical date>}; the data interval is inferred from the schedule (Airflow B6.9).
     *
     * @throws DagNotFoundException                       for an unknown or inactive DAG
     * @throws IllegalArgumentException                   for a run id Airflow would refuse
     * @throws dev.weft.engine.store.RunConflictException when the run id or the logical date is taken
     */
    public RunRecord trigger(Trigger request) {
        CompiledDag dag = activeDag(request.dagId());
        // The store keeps microseconds: the run id and the logical date must name the same instant.
        Instant logicalDate = (request.logicalDate() != null ? request.logicalDate() : clock.instant())
                .truncatedTo(ChronoUnit.MICROS);
        String runId = request.runId() != null ? request.runId() : RunIds.generate(RunType.MANUAL, logicalDate);
        if (!RunIds.ALLOWED.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId
                    + "' is not allowed: use letters, digits and _ . ~ : + - only");
        }
        DataInterval interval = request.dataInterval() != null ? request.dataInterval()
                : dag.timetable().manualInterval(logicalDate);
        RunRecord run = runFactory.create(dag, new NewRun(dag.dagId(), runId, RunType.ofRunId(runId), logicalDate,
                interval, true, request.conf() == null ? Map.of() : request.conf(), request.note(),
                request.triggeredBy()));
        wakeups.notifySchedulers();
        return run;
    }

    CompiledDag activeDag(String dagId) {
        dags.header(dagId).filter(DagStore.DagHeader::active).orElseThrow(() -> new DagNotFoundException(dagId));
        return catalog.get(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
    }

    /** Clears every task of a run so it runs again; its conf is kept. */
    public RunRecord clearRun(String dagId, String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        CompiledDag dag = activeDag(dagId);
        clear(dag, taskInstances.ofRun(run.id()), true);
        return runs.find(run.id()).orElseThrow();
    }

    /**
     * Clears the given tasks of a run, and with {@code downstream} every task downstream of them, so they run again.
     * Returns the task instances cleared.
     */
    public List<TaskInstanceRecord> clearTasks(String dagId, String runId, Collection<String> taskIds,
                                               boolean downstream) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        CompiledDag dag = activeDag(dagId);
        Set<String> selected = new HashSet<>(taskIds);
        if (downstream) {
            selected.addAll(dag.allDownstream(taskIds));
        }
        List<TaskInstanceRecord> chosen = taskInstances.ofRun(run.id()).stream()
                .filter(ti -> selected.contains(ti.taskId())).toList();
        clear(dag, chosen, true);
        return chosen;
    }

    /**
     * The one way task instances are cleared: each gets its task's full retries again (Airflow B7.2–B7.4), and with
     * {@code resetRuns} the finished runs they belong to are queued again (B7.6).
     */
    private void clear(CompiledDag dag, List<TaskInstanceRecord> tis, boolean resetRuns) {
        Map<Long, Integer> retries = new HashMap<>();
        for (TaskInstanceRecord ti : tis) {
            retries.put(ti.id(), retries(dag, ti));
        }
        clear(retries, runId -> resetRuns ? Restart.QUEUE : Restart.LEAVE);
    }

    private static int retries(CompiledDag dag, TaskInstanceRecord ti) {
        TaskSpec task = dag == null ? null : dag.task(ti.taskId());
        return task == null ? 0 : task.retries();
    }

    /** What becomes of a run whose task instances were cleared. */
    private enum Restart { QUEUE, AWAIT_TRIGGER, LEAVE }

    private void clear(Map<Long, Integer> retries, LongFunction<Restart> restartOf) {
        Instant now = clock.instant();
        // One transaction: cleared task instances in a run left finished would never be examined again.
        transactor.inTransaction(tx -> {
            for (Long runId : tx.taskInstances().clear(retries, now)) {
                switch (restartOf.apply(runId)) {
                    case QUEUE -> tx.runs().requeue(runId, now);
                    case AWAIT_TRIGGER -> tx.runs().awaitTrigger(runId, now);
                    case LEAVE -> { }
                }
            }
            return null;
        });
        wakeups.notifySchedulers();
    }

    /**
     * What to clear, as Airflow's {@code clearTaskInstances} selects it (B7.7, B7.13–B7.17). {@code taskIds} null
     * means every task (upstream/downstream then add nothing); a {@code dagRunId} sets both date bounds to that run's
     * logical date; {@code includePast}/{@code includeFuture} drop the lower/upper bound.
     */
    public record ClearRequest(String dagId, List<String> taskIds, Instant startDate, Instant endDate,
                               String dagRunId, boolean onlyFailed, boolean onlyRunning, boolean includeUpstream,
                               boolean includeDownstream, boolean includePast, boolean includeFuture,
                               boolean resetDagRuns, boolean dryRun) {
    }

    /**
     * Selects task instances and, unless it is a dry run, clears them. Returns the selected task instances as they
     * were before clearing.
     *
     * @throws DagNotFoundException     for an unknown or inactive DAG
     * @throws RunNotFoundException     for an unknown {@code dagRunId}
     * @throws IllegalArgumentException for contradictory options
     */
    public List<TaskInstanceRecord> clear(ClearRequest request) {
        CompiledDag dag = activeDag(request.dagId());
        List<TaskInstanceRecord> selected = select(dag, request);
        if (!request.dryRun() && !selected.isEmpty()) {
            clear(dag, selected, request.resetDagRuns());
        }
        return selected;
    }

    /**
     * Selects task instances as {@link #clear(ClearRequest)} does, then follows the links between DAGs from them (a
     * trigger task's triggered runs, the external-task sensors that waited on them, the runs that consumed their
     * dataset events) up to {@code depthLimit} hops, and, unless it is a dry run, clears all. The runs reached are
     * queued again (a triggered run once its trigger task has run again, a dataset consumer once the new events
     * arrive); the selection's runs as {@code resetDagRuns} says.
     */
    public RecursiveClear.Plan clearRecursively(ClearRequest request, int depthLimit) {
        CompiledDag dag = activeDag(request.dagId());
        RecursiveClear.Plan plan = recursiveClear.plan(select(dag, request), depthLimit);
        if (request.dryRun() || plan.affected().isEmpty()) {
            return plan;
        }
        Map<String, Optional<CompiledDag>> dags = new HashMap<>();
        Map<Long, Integer> retries = new HashMap<>();
        Set<Long> selectedRuns = new HashSet<>();
        for (RecursiveClear.Affected a : plan.affected()) {
            TaskInstanceRecord ti = a.taskInstance();
            retries.put(ti.id(), retries(dags.computeIfAbsent(ti.dagId(), catalog::get).orElse(null), ti));
            if (a.depth() == 0) {
                selectedRuns.add(ti.runPk());
            }
        }
        Set<Long> awaiting = plan.runsAwaitingTrigger();
        clear(retries, runId -> awaiting.contains(runId) ? Restart.AWAIT_TRIGGER
                : !selectedRuns.contains(runId) || request.resetDagRuns() ? Restart.QUEUE : Restart.LEAVE);
        return plan;
    }

    /**
     * When a recursive clear left a run of {@code dagId} waiting for the task of {@code by} to trigger it again, queues
     * that run and returns it: the trigger re-runs the old run instead of creating another.
     */
    public Optional<RunRecord> releaseAwaitingTrigger(String dagId, TaskKey by) {
        Optional<RunRecord> run = runs.releaseAwaitingTrigger(dagId, by, clock.instant());
        run.ifPresent(r -> wakeups.notifySchedulers());
        return run;
    }

    private List<TaskInstanceRecord> select(CompiledDag dag, ClearRequest request) {
        if (request.onlyFailed() && request.onlyRunning()) {
            throw new IllegalArgumentException("only_failed and only_running cannot both be true");
        }
        if (request.dagRunId() != null && (request.startDate() != null || request.endDate() != null)) {
            throw new IllegalArgumentException("Exactly one of dag_run_id or (start_date and end_date) must be provided");
        }
        if (request.startDate() != null && request.endDate() != null
                && request.startDate().isAfter(request.endDate())) {
            throw new IllegalArgumentException("start_date is expected to be before end_date");
        }
        Instant from = request.startDate();
        Instant to = request.endDate();
        if (request.dagRunId() != null) {
            RunRecord run = runs.find(request.dagId(), request.dagRunId())
                    .orElseThrow(() -> new RunNotFoundException(request.dagId(), request.dagRunId()));
            from = run.logicalDate();
            to = run.logicalDate();
        }
        if (request.includePast()) {
            from = null;
        }
        if (request.includeFuture()) {
            to = null;
        }
        Set<String> tasks = request.taskIds() == null ? null
                : relatives(dag, request.taskIds(), request.includeUpstream(), request.includeDownstream());
        Set<TaskState> states = request.onlyFailed() ? FAILED_STATES
                : request.onlyRunning() ? EnumSet.of(TaskState.RUNNING) : null;
        return taskInstances.select(dag.dagId(), tasks, from, to, states, null);
    }

    /** The task instances of a run, which {@link #clearRun} would clear. */
    public List<TaskInstanceRecord> taskInstancesOf(String dagId, String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        return taskInstances.ofRun(run.id());
    }

    /** The tasks given and, as asked, every task upstream or downstream of them; unknown ids are dropped. */
    static Set<String> relatives(CompiledDag dag, Collection<String> taskIds, boolean upstream, boolean downstream) {
        Set<String> selected = new HashSet<>();
        for (String id : taskIds) {
            if (dag.task(id) != null) {
                selected.add(id);
            }
        }
        Deque<String> todo = new ArrayDeque<>(selected);
        Set<String> seen = new HashSet<>(selected);
        while (!todo.isEmpty()) {
            String id = todo.poll();
            List<String> next = new ArrayList<>();
            if (downstream) {
                next.addAll(dag.downstream(id));
            }
            if (upstream) {
                next.addAll(dag.task(id).upstream());
            }
            for (String n : next) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        if (upstream || downstream) {
            selected.addAll(seen);
        }
        return selected;
    }

    /**
     * Marks a run by hand (Airflow's set_dag_run_state_to_*): success also marks every task instance that is not
     * successful success; failed marks its running ones failed and the other unfinished ones skipped; queued only
     * queues the run again.
     */
    public RunRecord markRun(String dagId, String runId, RunState state) {
        RunRecord found = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        Instant now = clock.instant();
        // One transaction: task instances marked in a run whose own state was not set would leave it half-marked.
        transactor.inTransaction(tx -> {
            RunRecord run = found;
            if (state != RunState.QUEUED) {
                List<Long> running = new ArrayList<>();
                List<Long> others = new ArrayList<>();
                for (TaskInstanceRecord ti : tx.taskInstances().ofRun(run.id())) {
                    if (state == RunState.SUCCESS ? ti.state() == TaskState.SUCCESS : ti.state().isFinished()) {
                        continue;
                    }
                    (ti.state() == TaskState.RUNNING || ti.state() == TaskState.RESTARTING ? running : others)
                            .add(ti.id());
                }
                if (state == RunState.SUCCESS) {
                    running.addAll(others);
                    tx.taskInstances().setState(running, TaskState.SUCCESS, now);
                } else {
                    tx.taskInstances().setState(running, TaskState.FAILED, now);
                    tx.taskInstances().setState(others, TaskState.SKIPPED, now);
                }
            }
            // Another process may move the run at the same moment: take its state again and retry a few times.
            for (int attempt = 0; attempt < 5 && run.state() != state; attempt++) {
                if (tx.runs().setState(run.id(), run.state(), state, now)) {
                    break;
                }
                run = tx.runs().find(run.id()).orElseThrow(() -> new RunNotFoundException(dagId, runId));
            }
            return null;
        });
        wakeups.notifySchedulers();
        return runs.find(found.id()).orElseThrow(() -> new RunNotFoundException(dagId, runId));
    }

    /** Deletes a run with its task instances and logs. */
    public void deleteRun(String dagId, String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        if (!runs.delete(run.id())) {
            throw new RunNotFoundException(dagId, runId);
        }
    }

    /**
     * What to mark (Airflow's set_task_instance_state): a task in one run, identified by run id or logical date,
     * optionally with its upstream/downstream tasks and the same tasks in earlier/later runs.
     */
    public record MarkTasks(String dagId, String taskId, String runId, Instant logicalDate, boolean upstream,
                            boolean downstream, boolean past, boolean future, TaskState state, boolean dryRun) {
    }

    /**
     * Marks task instances success, failed or skipped by hand; returns those whose state changes (or would, in a dry
     * run). Runs that are still going take the new states into account at their next scheduling decision.
     *
     * @throws DagNotFoundException  for an unknown or inactive DAG
     * @throws TaskNotFoundException for a task the DAG does not have
     * @throws RunNotFoundException  when no run matches
     */
    public List<TaskInstanceRecord> markTasks(MarkTasks request) {
        CompiledDag dag = activeDag(request.dagId());
        if (dag.task(request.taskId()) == null) {
            throw new TaskNotFoundException("Task ID " + request.taskId() + " not found");
        }
        RunRecord run = (request.runId() != null ? runs.find(request.dagId(), request.runId())
                : runs.findAt(request.dagId(), request.logicalDate()))
                .orElseThrow(() -> new RunNotFoundException(request.dagId(), request.runId() != null
                        ? request.runId() : "at " + dev.weft.spi.IsoDates.isoformat(request.logicalDate())));
        Set<String> tasks = relatives(dag, List.of(request.taskId()), request.upstream(), request.downstream());
        List<String> runIds = new ArrayList<>();
        for (RunRecord r : request.past() || request.future() ? runs.list(request.dagId()) : List.of(run)) {
            int c = r.logicalDate().compareTo(run.logicalDate());
            if (c == 0 || (c < 0 && request.past()) || (c > 0 && request.future())) {
                runIds.add(r.runId());
            }
        }
        List<TaskInstanceRecord> selected = taskInstances.select(dag.dagId(), tasks, null, null, null, runIds)
                .stream().filter(ti -> ti.state() != request.state()).toList();
        if (!request.dryRun() && !selected.isEmpty()) {
            taskInstances.setState(selected.stream().map(TaskInstanceRecord::id).toList(), request.state(),
                    clock.instant());
            wakeups.notifySchedulers();
        }
        return selected;
    }

    /**
     * A backfill of the logical dates {@code [from, to]} (both included). {@code resetDagRuns} clears every task
     * instance of runs that already exist in the range, {@code rerunFailedTasks} only their failed and
     * upstream_failed ones; {@code conf} is the conf of the runs created.
     */
    public record Backfill(String dagId, Instant from, Instant to, boolean resetDagRuns, boolean rerunFailedTasks,
                           boolean dryRun, Map<String, Object> conf) {
    }

    /** What a backfill did (or, in a dry run, would do) at one schedule point. */
    public enum BackfillAction { CREATED, REUSED, CLEARED }

    /**
     * One schedule point of a backfill: the run created or reused there ({@code run} is null only for a run a dry
     * run would create), and how many of its task instances were cleared.
     */
    public record BackfillRun(String runId, Instant logicalDate, DataInterval dataInterval, BackfillAction action,
                              RunRecord run, int clearedTaskInstances) {
    }

    /**
     * Creates one backfill run ({@code run_type=backfill}, {@code external_trigger=false}, run id
     * {@code backfill__<logical date>}) per schedule point whose logical date lies in {@code [from, to]}, whatever
     * the DAG's catchup and pause state; the scheduler runs them like other runs, oldest first, within the DAG's
     * {@code max_active_runs}. A run that already exists at such a logical date (of any type) is reused, and
     * cleared as the request asks. Returns the schedule points oldest first; empty when the range holds none.
     *
     * @throws DagNotFoundException                       for an unknown or inactive DAG
     * @throws IllegalArgumentException                   for a DAG without schedule, a range that ends before it
     *                                                    starts, too many intervals, or contradictory options
     * @throws dev.weft.engine.store.RunConflictException when another process creates a run at the same moment
     */
    public List<BackfillRun> backfill(Backfill request) {
        CompiledDag dag = activeDag(request.dagId());
        if (request.from() == null || request.to() == null) {
            throw new IllegalArgumentException("a backfill needs start_date and end_date");
        }
        if (request.resetDagRuns() && request.rerunFailedTasks()) {
            throw new IllegalArgumentException("reset_dag_runs already clears every task instance: "
                    + "set it or rerun_failed_tasks, not both");
        }
        if (!dag.timetable().isScheduled()) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "' has no schedule, so it has no schedule "
                    + "points to backfill: trigger runs instead");
        }
        List<DataInterval> intervals = dag.timetable().intervalsBetween(request.from(), request.to());
        List<BackfillRun> result = new ArrayList<>();
        for (DataInterval interval : intervals) {
            Instant logicalDate = interval.start();
            RunRecord existing = runs.findAt(dag.dagId(), logicalDate).orElse(null);
            if (existing == null) {
                String runId = RunIds.generate(RunType.BACKFILL, logicalDate);
                RunRecord created = request.dryRun() ? null : runFactory.create(dag, new NewRun(dag.dagId(), runId,
                        RunType.BACKFILL, logicalDate, interval, false,
                        request.conf() == null ? Map.of() : request.conf(), null, null));
                result.add(new BackfillRun(runId, logicalDate, interval, BackfillAction.CREATED, created, 0));
                continue;
            }
            List<TaskInstanceRecord> toClear = !request.resetDagRuns() && !request.rerunFailedTasks() ? List.of()
                    : taskInstances.ofRun(existing.id()).stream().filter(ti -> request.resetDagRuns()
                            || FAILED_STATES.contains(ti.state())).toList();
            if (!toClear.isEmpty() && !request.dryRun()) {
                clear(dag, toClear, true);
                existing = runs.find(existing.id()).orElse(existing);
            }
            result.add(new BackfillRun(existing.runId(), logicalDate, existing.dataInterval(),
                    toClear.isEmpty() ? BackfillAction.REUSED : BackfillAction.CLEARED, existing, toClear.size()));
        }
        if (!request.dryRun() && !result.isEmpty()) {
            wakeups.notifySchedulers();
        }
        return result;
    }

    /**
     * A manual trigger as the REST API and the UI make it: a run id with another run type's prefix
     * ({@code scheduled__…}) is refused, as in Airflow (B5.3); otherwise as {@link #trigger}.
     */
    public RunRecord triggerManual(Trigger request) {
        if (request.runId() != null) {
            RunType inferred = RunType.ofRunId(request.runId());
            if (inferred != RunType.MANUAL) {
                throw new IllegalArgumentException("A manual DAG run cannot use ID '" + request.runId()
                        + "' since it is reserved for " + inferred.wireName() + " runs");
            }
        }
        return trigger(request);
    }
}
