package dev.weft.engine.scheduler;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.callbacks.CallbackRequests;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunIds;
import dev.weft.engine.schedule.Timetable;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.store.Transactor;
import dev.weft.engine.store.TryOutcome;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns definitions and task outcomes into work: creates scheduled runs, starts queued runs within
 * {@code max_active_runs}, moves task instances along by trigger rule, ends runs, re-schedules retries and
 * reschedules that are due, queues work within the limits, and handles lost workers and run timeouts. It talks to
 * workers only through the store; {@link #runOnce()} is one pass, driven by a loop or by a test with a manual clock.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int RUNS_PER_PASS = 1000;
    private static final int SCHEDULED_RUNS_PER_DAG_PER_PASS = 10;
    /**
     * How often every running run is examined whether marked or not: the safety net behind the marks, which are set
     * in the transactions that change task instances. Rare, because examining reads all of a run's task instances
     * (10,000 rows for a run of 10,000 waiting sensors).
     */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /**
     * @param parallelism       the most task instances queued or running at once, over everything
     * @param workerLostAfter   a worker without a heartbeat for this long is lost; its running tries are failed
     * @param housekeepingEvery how often lost workers, run timeouts and sensor deadlocks are checked
     * @param sensorDeadlockAfter how long every slot of a DAG or pool may be held by poking sensors, while other
     *                          tasks wait, before it is reported as a sensor deadlock
     */
    public record Settings(int parallelism, Duration workerLostAfter, Duration housekeepingEvery,
                           Duration sensorDeadlockAfter) {
        public static Settings defaults() {
            return new Settings(32, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(5));
        }
    }

    private final DagStore dags;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final Transactor transactor;
    private final LogStore logs;
    private final DagCatalog catalog;
    private final RunFactory runFactory;
    private final Settings settings;
    private final Clock clock;
    private final SensorDeadlockDetector sensorDeadlocks;
    private final StuckTasks stuckTasks;
    private final DatasetTriggers datasetTriggers;
    private Instant lastHousekeeping = Instant.MIN;
    private Instant lastSweep = Instant.MIN;
    private boolean rerun;
    private final Runnable onQueued;
    private final SchedulerHeartbeat heartbeat;
    private final EngineMetrics metrics;

    public Scheduler(DagStore dags, RunStore runs, TaskInstanceStore taskInstances, DatasetStore datasets,
                     Transactor transactor, LogStore logs, PoolStore pools, DagCatalog catalog,
                     Predicate<String> isSensorType, RunFactory runFactory, Settings settings, Clock clock) {
        this(dags, runs, taskInstances, datasets, transactor, logs, pools, catalog, isSensorType, runFactory, settings,
                clock, null, null, EngineMetrics.NONE);
    }

    /**
     * @param isSensorType whether a task type id is a sensor type (the plugins know)
     * @param onQueued     called as soon as a pass queued work, before the pass ends, to wake workers (null: none)
     * @param heartbeat    written at the start of a pass when due (null: none)
     * @param metrics      told of each pass, each run that ended and each try written back for a lost worker
     */
    public Scheduler(DagStore dags, RunStore runs, TaskInstanceStore taskInstances, DatasetStore datasets,
                     Transactor transactor, LogStore logs, PoolStore pools, DagCatalog catalog,
                     Predicate<String> isSensorType, RunFactory runFactory, Settings settings, Clock clock,
                     Runnable onQueued, SchedulerHeartbeat heartbeat, EngineMetrics metrics) {
        this.onQueued = onQueued;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.dags = dags;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.transactor = transactor;
        this.logs = logs;
        this.catalog = catalog;
        this.runFactory = runFactory;
        this.settings = settings;
        this.clock = clock;
        this.sensorDeadlocks = new SensorDeadlockDetector(taskInstances, dags, pools, catalog,
                settings.sensorDeadlockAfter(), settings.parallelism(), isSensorType);
        this.stuckTasks = new StuckTasks(pools);
        this.datasetTriggers = new DatasetTriggers(datasets, dags, transactor, catalog, runFactory, clock);
    }

    /** One scheduling pass; returns whether anything changed (the worker loop is then woken). */
    public boolean runOnce() {
        Instant now = clock.instant();
        rerun = false;
        if (heartbeat != null) {
            heartbeat.beatIfDue(now);
        }
        // Slots freed since the last pass are filled first: the examination of runs below can wait, a slot should not.
        boolean queued = queue();
        boolean changed = createScheduledRuns(now);
        changed |= datasetTriggers.createRuns();
        // A run that starts gets its first tasks scheduled in the same transaction and queued at once, so a
        // trigger's first task does not wait for the examination of every marked run (which still follows). The
        // time is read again: a run created above (a dataset-triggered one is dated when it is created) or
        // triggered during the pass is not in the future, and must not wait for the next pass.
        if (!runs.startQueued(clock.instant(), this::firstTasks).isEmpty()) {
            changed = true;
            queued |= queue();
        }
        boolean housekeeping = !now.isBefore(lastHousekeeping.plus(settings.housekeepingEvery()));
        if (housekeeping) {
            lastHousekeeping = now;
            changed |= failTriesOfLostWorkers(now);
            changed |= timeOutRuns(now);
            sensorDeadlocks.check(now);
        }
        if (!now.isBefore(lastSweep.plus(SWEEP_EVERY))) {
            lastSweep = now;
            runs.markForExamination(runs.runningIds());
            // Reads every active DAG's tasks: as rare as the sweep, and the first pass says it at once.
            stuckTasks.check();
        }
        List<Long> toExamine;
        while (!(toExamine = runs.takeRunsToExamine(RUNS_PER_PASS)).isEmpty()) {
            changed |= examine(toExamine, now);
            if (toExamine.size() < RUNS_PER_PASS) {
                break;
            }
        }
        changed |= taskInstances.scheduleDue(now) > 0;
        if (changed) {
            queued |= queue();
        }
        metrics.schedulerLoop(Duration.between(now, clock.instant()));
        return changed || queued;
    }

    /** Queues within the limits, stamped when queued (not at the pass start), and wakes the workers at once. */
    private boolean queue() {
        boolean queued = taskInstances.queue(settings.parallelism(), clock.instant()) > 0;
        if (queued && onQueued != null) {
            onQueued.run();
        }
        return queued;
    }

    /**
     * Whether the pass just run left work that only another pass does at once: a run ended (a queued run may start
     * within max_active_runs), a DAG had more scheduled runs due than one pass creates, or a task instance changed
     * under an examination. Everything else a pass starts it also finishes; new work arrives with a signal.
     */
    public boolean wantsRerun() {
        return rerun;
    }

    private boolean createScheduledRuns(Instant now) {
        boolean created = false;
        for (DagRecord record : dags.dueForScheduling(now)) {
            CompiledDag dag = catalog.get(record);
            Timetable timetable = dag.timetable();
            DataInterval last = runs.lastAutomatedInterval(dag.dagId()).orElse(null);
            for (int i = 0; i < SCHEDULED_RUNS_PER_DAG_PER_PASS; i++) {
                if (runs.countActive(dag.dagId()) >= dag.spec().maxActiveRuns()) {
                    break;
                }
                rerun |= i == SCHEDULED_RUNS_PER_DAG_PER_PASS - 1;
                Optional<DataInterval> due = timetable.dueRun(last, now);
                if (due.isEmpty()) {
                    break;
                }
                DataInterval interval = due.get();
                try {
                    RunRecord run = runFactory.create(dag, new NewRun(dag.dagId(),
                            RunIds.generate(RunType.SCHEDULED, interval.start()), RunType.SCHEDULED, interval.start(),
                            interval, false, Map.of(), null, null));
                    LOG.info("Created run {} of {}", run.runId(), dag.dagId());
                    created = true;
                } catch (RunConflictException e) {
                    // Another scheduler made it, or a manual run holds that logical date: move on to the next.
                    LOG.debug("Not creating a scheduled run of {} at {}: {}", dag.dagId(), interval.start(), e.getMessage());
                }
                last = interval;
            }
            Optional<Timetable.NextRun> next = timetable.nextRun(last, now);
            dags.setNextRun(dag.dagId(), next.map(Timetable.NextRun::interval).orElse(null),
                    next.map(Timetable.NextRun::createAfter).orElse(null));
        }
        return created;
    }

    /** The task instances of runs just started that may run at once: what an examination would schedule. */
    private List<Long> firstTasks(Map<Long, String> dagByRun, List<TaskStateRow> states) {
        Map<Long, List<TaskStateRow>> byRun = RunDecider.byRun(states);
        List<Long> schedule = new ArrayList<>();
        dagByRun.forEach((runPk, dagId) -> catalog.get(dagId).ifPresent(dag ->
                schedule.addAll(RunDecider.decide(dag, byRun.getOrDefault(runPk, List.of())).schedule())));
        return schedule;
    }

    private boolean examine(List<Long> runIds, Instant now) {
        Map<Long, List<TaskStateRow>> byRun = RunDecider.byRun(taskInstances.statesOf(runIds));
        List<Long> schedule = new ArrayList<>();
        List<Long> skip = new ArrayList<>();
        List<Long> upstreamFailed = new ArrayList<>();
        Map<TaskState, List<Long>> removed = new HashMap<>();
        Map<Long, RunState> finished = new HashMap<>();
        Map<Long, CompiledDag> dagOf = new HashMap<>();
        Map<Long, RunRecord> recordOf = new HashMap<>();
        for (RunRecord run : runs.find(runIds)) {
            recordOf.put(run.id(), run);
            Optional<CompiledDag> dag = catalog.get(run.dagId());
            if (dag.isEmpty()) {
                continue;
            }
            RunDecision decision = RunDecider.decide(dag.get(), byRun.getOrDefault(run.id(), List.of()));
            schedule.addAll(decision.schedule());
            skip.addAll(decision.skip());
            upstreamFailed.addAll(decision.upstreamFailed());
            decision.removed().forEach((from, ids) -> removed.computeIfAbsent(from, k -> new ArrayList<>()).addAll(ids));
            if (decision.finalState() != null) {
                finished.put(run.id(), decision.finalState());
                dagOf.put(run.id(), dag.get());
            }
        }
        int moved = taskInstances.transition(schedule, TaskState.NONE, TaskState.SCHEDULED, now)
                + taskInstances.transition(skip, TaskState.NONE, TaskState.SKIPPED, now)
                + taskInstances.transition(upstreamFailed, TaskState.NONE, TaskState.UPSTREAM_FAILED, now);
        int toRemove = 0;
        for (Map.Entry<TaskState, List<Long>> e : removed.entrySet()) {
            moved += taskInstances.transition(e.getValue(), e.getKey(), TaskState.REMOVED, now);
            toRemove += e.getValue().size();
        }
        if (moved < schedule.size() + skip.size() + upstreamFailed.size() + toRemove) {
            // Something else changed a task instance meanwhile: look at these runs again rather than guess.
            runs.markForExamination(runIds);
            rerun = true;
            return true;
        }
        finished.forEach((runId, state) -> {
            if (finishIfStill(dagOf.get(runId), recordOf.get(runId), state)) {
                LOG.info("Run {} ended {}", runId, state.wireName());
                runFinished(recordOf.get(runId), state);
                rerun = true;
            }
        });
        return moved > 0 || !finished.isEmpty();
    }

    /**
     * Ends a run as decided, unless what the decision was made from changed meanwhile (a clear, a mark): with the
     * run's row locked, nothing can change it, and its task instances read again must still decide the same end.
     * A clear that committed first is seen here; one that commits later finds the run ended and queues it again.
     */
    private boolean finishIfStill(CompiledDag dag, RunRecord run, RunState decided) {
        long runId = run.id();
        return transactor.inTransaction(tx -> {
            if (!lockedRunning(tx, runId)) {
                return false;
            }
            RunState again = RunDecider.decide(dag, tx.taskInstances().statesOf(List.of(runId))).finalState();
            if (again != decided) {
                LOG.debug("Run {} changed while it was examined: examining it again", runId);
                tx.runs().markForExamination(List.of(runId));
                return false;
            }
            // Stamped when it ended, not at the pass start; its callbacks are requested with its end, or not at all.
            return tx.runs().finish(runId, decided, clock.instant()) && requestCallbacks(tx,
                    CallbackRequests.forRunDecided(dag.spec(), run.id(), run.runId(), decided));
        });
    }

    /** Stores the run's callbacks for its end, if its DAG has any ({@code request} not null), in its transaction. */
    private boolean requestCallbacks(Transactor.Stores tx, CallbackRequest request) {
        if (request != null) {
            tx.callbacks().add(List.of(request), clock.instant());
        }
        return true;
    }

    /** Tells the metrics a run ended now, with how long it ran (a running run has a start date). */
    private void runFinished(RunRecord run, RunState state) {
        if (run.startDate() != null) {
            metrics.runFinished(run.dagId(), state, Duration.between(run.startDate(), clock.instant()));
        }
    }

    /** Locks the run's row for the rest of the transaction; whether it is still running. */
    private static boolean lockedRunning(Transactor.Stores tx, long runId) {
        return tx.runs().lock(runId).filter(s -> s == RunState.RUNNING).isPresent();
    }

    /**
     * Writes back the tries of lost workers as their worker would have: a running try failed (up for retry while
     * tries remain), a try cleared while running (restarting) to none, so it runs again. A worker that cannot
     * heartbeat fences itself at three quarters of this limit (see {@link dev.weft.engine.executor.Worker}): its tries were told
     * to stop, and interrupted, before they are handed to another worker.
     */
    private boolean failTriesOfLostWorkers(Instant now) {
        List<TaskInstanceRecord> lost = taskInstances.heldByLostWorkers(now.minus(settings.workerLostAfter()));
        if (lost.isEmpty()) {
            return false;
        }
        List<TryOutcome> outcomes = new ArrayList<>();
        List<LogStore.Line> lines = new ArrayList<>();
        for (TaskInstanceRecord ti : lost) {
            boolean retry = ti.tryNumber() <= ti.maxTries();
            TaskState state = retry ? TaskState.UP_FOR_RETRY : TaskState.FAILED;
            TaskSpec task = catalog.get(ti.dagId()).map(d -> d.task(ti.taskId())).orElse(null);
            Duration delay = task == null ? Duration.ZERO : task.retryDelay();
            String error = "worker lost: worker " + ti.workerId() + " on " + ti.hostname()
                    + " stopped sending heartbeats while this try was running";
            // For a restarting try the store's compare-and-set on running fails, and the write-back restarts it
            // (and stores no callbacks).
            outcomes.add(new TryOutcome(ti.id(), ti.runPk(), ti.tryNumber(), state, ti.startDate(), now,
                    retry ? now.plus(delay) : null, null, ti.firstPokeAt(), ti.pokeCount(), null, ti.plugin(),
                    ti.pluginVersion()).withCallback(CallbackRequests.forTry(task, ti.id(), ti.runPk(), ti.dagId(),
                    ti.runId(), ti.tryNumber(), state, error)));
            String text = "ERROR " + error + "; " + (ti.state() == TaskState.RESTARTING
                    ? "the task was cleared meanwhile, so it runs again" : "the try is marked " + state.wireName());
            lines.add(new LogStore.Line(ti.id(), ti.tryNumber(), now, text));
            LOG.warn("Task {}/{}/{} try {}: {}", ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber(), text);
        }
        logs.append(lines);
        metrics.triesWritten(taskInstances.finish(outcomes, FinishFollowUp.NONE, now).written());
        return true;
    }

    private boolean timeOutRuns(Instant now) {
        boolean any = false;
        for (RunRecord run : runs.runningWithTimeout()) {
            Optional<CompiledDag> dag = catalog.get(run.dagId());
            Duration timeout = dag.map(d -> d.spec().dagrunTimeout()).orElse(null);
            if (timeout == null || run.startDate() == null || !now.isAfter(run.startDate().plus(timeout))) {
                continue;
            }
            // One transaction with the run locked: a clear that commits meanwhile finds the run failed and queues it
            // again, instead of seeing its task instances skipped under a run it could not re-queue.
            boolean failed = transactor.inTransaction(tx -> {
                if (!lockedRunning(tx, run.id())) {
                    return false;
                }
                tx.taskInstances().finishUnfinished(run.id(), TaskState.SKIPPED, now);
                return tx.runs().finish(run.id(), RunState.FAILED, now)
                        && dag.map(d -> requestCallbacks(tx, CallbackRequests.forRun(d.spec(), run.id(), run.runId(),
                        RunState.FAILED, "timed_out"))).orElse(true);
            });
            if (failed) {
                LOG.warn("Run {} of {} failed: it ran longer than its dagrun_timeout {}", run.runId(), run.dagId(), timeout);
                runFinished(run, RunState.FAILED);
                any = true;
                rerun = true;
            }
        }
        return any;
    }
}
