package dev.weft.engine.executor;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Signal;
import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TryKey;
import dev.weft.engine.store.TryOutcome;
import dev.weft.engine.store.WorkerStore;
import dev.weft.spi.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims queued task instances from the store and runs them on a bounded number of slots. Outcomes are written back
 * in batches, one transaction per pass; log lines are written apart from the passes, in bounded batches, with each
 * try's log capped ({@link TryLogs}), and a try's outcome is written once its log is. Poke-mode sensors keep their
 * slot between pokes without holding a thread; execution timeouts and stop requests cancel tries cooperatively, then
 * interrupt them; a try whose code ignores the interrupt too is failed one more {@code interruptAfter} later, its
 * thread counting as a held slot until the code returns. Tries are tracked by task instance and try number
 * ({@link TryKey}): a retry may be claimed while an older try still runs.
 *
 * <p><b>Nothing written back is lost.</b> Outcomes and log lines stay with the worker until their write-back
 * commits; a failed write-back (a dropped connection, a deadlock) fails the pass, and the next pass writes them
 * again. A write-back the store refuses for a reason that will not pass is split: the outcomes are written one by
 * one, and one refused on its own is written as failed with the database's error in its try's log. Tries claimed but
 * not started (reading their runs or DAGs failed) are started by a later pass, unless they are no longer this
 * worker's.
 *
 * <p><b>Heartbeats and self-fencing.</b> {@link #heartbeat()} runs on a thread of its own, so a slow pass on a
 * loaded machine does not delay it; it is withheld only while passes keep failing (claims, write-backs), or one
 * hangs, so that a worker that cannot work does not look alive. The scheduler declares a worker lost when its last heartbeat is older
 * than {@code workerLostAfter} by the scheduler's clock, marks it lost, and only then writes the worker's tries back
 * (up for retry) so that others may run them; a heartbeat that finds its worker marked lost registers anew and
 * stops at once the tries that were taken over. A heartbeat is stamped with this worker's clock before it reaches the database. When the last
 * successful heartbeat is older than three quarters of that limit by this worker's clock (not half: a loaded
 * machine's stalls should not kill tries the scheduler would never take over), the worker fences itself: it cancels
 * every try and interrupts its thread at once, and claims nothing until a heartbeat succeeds. This is checked
 * whenever a pass fails, and once per heartbeat interval by {@link #fenceIfSilent()} on a thread of the engine loops'
 * own (a heartbeat can hang on a dead connection). Guarantee: while the two clocks differ by less than a quarter of
 * the limit less one heartbeat interval, every try of a worker was told to stop, and its thread interrupted, before
 * the scheduler may hand it to another worker. Code that ignores both cancellation and interruption cannot be stopped
 * inside the JVM. A fenced try fails, never succeeds; and every write-back is a compare-and-set on state and try
 * number, so one that arrives after the scheduler moved on changes nothing. A successful heartbeat is followed by a
 * check of which tries still hold their task instance; the others (cleared, marked, or taken over after a longer
 * silence) are cancelled.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /**
     * How long a reschedule-mode sensor's finished re-poke may wait for its write-back. Short beside any poke
     * interval, and short enough that the tries waiting for their write-back (running in the store, so counted
     * against parallelism) stay few: at 1,667 re-pokes a second (100,000 sensors poking once a minute) about 80.
     */
    static final Duration RESCHEDULE_BATCH = Duration.ofMillis(50);

    /**
     * @param workerId        unique per worker process
     * @param slots           the most tries this worker runs at once (poke-mode sensors included)
     * @param heartbeatEvery  how often the worker tells the store it is alive and checks for stop requests
     * @param interruptAfter  how long a cancelled try may take to stop before its thread is interrupted
     * @param workerLostAfter the scheduler's limit: after three quarters of it without a heartbeat, the worker fences
     *                        itself
     * @param maxLogBytesPerTry the most of a try's log that is kept: its first and last halves (see {@link TryLogs})
     */
    public record Settings(String workerId, String hostname, long pid, int slots, Duration heartbeatEvery,
                           Duration interruptAfter, Duration workerLostAfter, long maxLogBytesPerTry) {
        public static final long DEFAULT_MAX_LOG_BYTES_PER_TRY = TryLogs.Settings.DEFAULTS.maxBytesPerTry();

        public Settings(String workerId, String hostname, long pid, int slots, Duration heartbeatEvery,
                        Duration interruptAfter, Duration workerLostAfter) {
            this(workerId, hostname, pid, slots, heartbeatEvery, interruptAfter, workerLostAfter,
                    DEFAULT_MAX_LOG_BYTES_PER_TRY);
        }

        Duration fenceAfter() {
            return workerLostAfter.multipliedBy(3).dividedBy(4);
        }
    }

    private final TaskInstanceStore taskInstances;
    private final RunStore runs;
    private final WorkerStore workers;
    private final DagCatalog catalog;
    private final PluginRegistry plugins;
    private final TaskRunner runner;
    private final Settings settings;
    private final Clock clock;
    private final ExecutorService threads;
    /** Wakes the schedulers after a write-back that left them work, and the other workers after one that queued. */
    private final Wakeups wakeups;
    private final FinishFollowUp followUp;
    private final EngineMetrics metrics;
    private final Map<TryKey, Attempt> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TryOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final TryLogs tryLogs;
    private final OutcomeWriter outcomeWriter;
    private final Map<TryKey, Attempt> waitingPokes = new ConcurrentHashMap<>();
    // Taken off the queue by a write-back that has not committed yet; only the pass's thread touches it.
    private final List<TryOutcome> unwrittenOutcomes = new ArrayList<>();
    /** Claimed, but not started yet (reading their runs or DAGs failed); only the pass's thread touches them. */
    private final List<ClaimedTry> unstarted = new ArrayList<>();
    /** The stamps of claims that threw: each may have committed before its answer was lost. */
    private final List<Instant> uncertainClaims = new ArrayList<>();
    private final Signal wakeUp;
    /** When the last successful heartbeat began, by this worker's clock. */
    private volatile Instant lastHeartbeat = Instant.MIN;
    /** Whether the tries were fenced since the last successful heartbeat (for the log only). */
    private volatile boolean fenced;
    /** Since when passes keep failing (null while they succeed), by this worker's clock. */
    private volatile Instant passesFailingSince;
    /** When the pass under way began (null between passes), by this worker's clock. */
    private volatile Instant passStartedAt;
    /** Whether a log loop writes the tries' logs ({@link #writeLogs()}); if not, each pass writes them. */
    private volatile boolean logLoop;
    /** How many task instances were queued after the last write-back. */
    private int writeBackQueued;
    private final AtomicBoolean workQueued = new AtomicBoolean();
    /** Whether a wake-up for the re-pokes that finished is on its way ({@link #wakeForReschedules()}). */
    private final AtomicBoolean rescheduleWakePending = new AtomicBoolean();
    /** Tries whose outcome was written while their code, ignoring every interrupt, still runs: each holds a slot. */
    private final AtomicInteger abandonedRunning = new AtomicInteger();

    public Worker(TaskInstanceStore taskInstances, RunStore runs, LogStore logs, WorkerStore workers,
                  DagCatalog catalog, PluginRegistry plugins, TaskRunnerFactory runnerFactory, Settings settings,
                  Clock clock, ExecutorService threads, Signal wakeUp, Wakeups wakeups,
                  FinishFollowUp followUp, EngineMetrics metrics) {
        this.taskInstances = taskInstances;
        this.runs = runs;
        this.workers = workers;
        this.catalog = catalog;
        this.plugins = plugins;
        this.tryLogs = new TryLogs(logs, new TryLogs.Settings(settings.maxLogBytesPerTry(),
                TryLogs.Settings.DEFAULTS.maxPendingLines(), TryLogs.Settings.DEFAULTS.producerWait(),
                TryLogs.Settings.DEFAULTS.batchLines()), clock, wakeUp::signal);
        this.runner = runnerFactory.create(tryLogs::add, wakeUp::signal);
        this.outcomeWriter = new OutcomeWriter(taskInstances, logs, followUp, clock, settings.workerId());
        this.settings = settings;
        this.clock = clock;
        this.threads = threads;
        this.wakeUp = wakeUp;
        this.wakeups = wakeups;
        this.followUp = followUp;
        this.metrics = metrics;
    }

    public void register() {
        Instant now = clock.instant();
        workers.register(settings.workerId(), settings.hostname(), settings.pid(), now);
        lastHeartbeat = now;
    }

    /**
     * One pass: claim queued work, write back what finished (and claim what that write-back queued), keep time-outs
     * and stop requests, poke due sensors. Throws when the store fails; what it had not written is written by the
     * next pass.
     */
    public boolean runOnce() {
        Instant now = clock.instant();
        passStartedAt = now;
        boolean changed;
        boolean passed = false;
        try {
            changed = writeAndClaim(now);
            passed = true;
        } catch (RuntimeException e) {
            fenceIfSilent(now);
            throw e;
        } finally {
            passStartedAt = null;
            passesFailingSince = passed ? null : passesFailingSince != null ? passesFailingSince : now;
            enforceDeadlines(now);
        }
        for (Attempt a : List.copyOf(waitingPokes.values())) {
            if (a.isCancelled() || a.pokeNow || !now.isBefore(a.nextPokeAt)) {
                waitingPokes.remove(a.key());
                submit(a);
                changed = true;
            }
        }
        return changed;
    }

    private boolean writeAndClaim(Instant now) {
        // Claim first when a scheduler queued work (it should not wait for this worker's write-back) or when there is
        // nothing to write back; otherwise the write-back comes first, as it may queue the downstream tasks.
        boolean claimFirst = workQueued.getAndSet(false) || (outcomes.isEmpty() && unwrittenOutcomes.isEmpty());
        // A worker silent for that long (its heartbeats fail) claims nothing: it fenced or is about to fence itself.
        boolean mayClaim = now.isBefore(lastHeartbeat.plus(settings.fenceAfter()));
        boolean changed = startUnstarted();
        changed |= claimFirst && mayClaim && claim() > 0;
        if (flush()) {
            changed = true;
        }
        int queued = writeBackQueued;
        if ((!claimFirst || queued > 0) && mayClaim) {
            int claimed = claim();
            changed |= claimed > 0;
            // What this worker had no slot for is for the others (an approximation: the claim may have taken older
            // work instead, whose queueing woke them already; the tick covers the rest).
            if (queued > claimed) {
                wakeups.notifyWorkers();
            }
        }
        return changed;
    }

    /**
     * Tells the store this worker is alive, then cancels the tries that are no longer its own; called every heartbeat
     * interval by a thread of its own, however long passes take. It sends none while passes have kept failing (its
     * claims or write-backs), or a pass has hung, for three quarters of the worker-lost limit: such a worker must not
     * look alive, so that it fences itself and the scheduler takes its tries over. When the store says the worker was
     * declared lost (or its row is gone), the worker registers anew and stops at once the tries that were taken over
     * (they may run elsewhere by now). Throws when the store fails.
     */
    public void heartbeat() {
        Instant now = clock.instant();
        Instant failingSince = passesFailingSince;
        Instant passStarted = passStartedAt;
        Instant stuckSince = failingSince != null ? failingSince : passStarted;
        if (stuckSince != null && !now.isBefore(stuckSince.plus(settings.fenceAfter()))) {
            LOG.warn("Worker {}: no heartbeat, {} since {}", settings.workerId(), failingSince != null
                    ? "its passes keep failing" : "a pass hangs", stuckSince);
            return;
        }
        boolean counted = workers.heartbeat(settings.workerId(), now);
        if (!counted) {
            LOG.error("Worker {}: its heartbeat found it declared lost by a scheduler (or its row gone): registering"
                    + " anew, and stopping at once its tries that were taken over", settings.workerId());
            register();
        } else {
            lastHeartbeat = now;
        }
        if (fenced) {
            fenced = false;
            LOG.warn("Worker {}: heartbeats succeed again", settings.workerId());
        }
        for (TryKey key : taskInstances.stopRequested(settings.workerId(), List.copyOf(inFlight.keySet()))) {
            Attempt a = inFlight.get(key);
            if (a == null) {
                continue;
            }
            if (counted) {
                a.cancel("the try no longer holds its task instance: it was cleared or marked while running, or "
                        + "its worker was declared lost", now);
            } else {
                // Taken over: it may run elsewhere by now, so it is stopped as a fenced try is, not after a grace.
                fence(a, "fenced: worker " + settings.workerId() + " was declared lost by a scheduler, which took"
                        + " this try over", now);
            }
        }
    }

    /**
     * Fences this worker when its last successful heartbeat is older than three quarters of the worker-lost limit: cancels every
     * try and interrupts its thread, so none still runs when the scheduler may take it over. Safe to call from any
     * thread, e.g. a watchdog, as a pass may hang on a dead connection.
     */
    public void fenceIfSilent() {
        fenceIfSilent(clock.instant());
    }

    private void fenceIfSilent(Instant now) {
        Instant last = lastHeartbeat;
        if (last == Instant.MIN || !now.isAfter(last.plus(settings.fenceAfter()))) {
            return; // not registered yet, or heard from recently enough
        }
        String reason = "fenced: worker " + settings.workerId() + " has not sent a heartbeat for "
                + Duration.between(last, now).toSeconds() + " s, and the scheduler declares a worker lost after "
                + settings.workerLostAfter().toSeconds() + " s";
        if (!fenced) {
            fenced = true;
            LOG.error("Worker {} {}; stopping its {} tries", settings.workerId(), reason, inFlight.size());
        }
        for (Attempt a : inFlight.values()) {
            fence(a, reason, now);
        }
    }

    /** Cancels a try and interrupts its thread at once. */
    private void fence(Attempt a, String reason, Instant now) {
        a.cancel(reason, now);
        if (!a.interrupted) {
            a.interrupt();
        }
    }

    /** Tells the worker that a scheduler in this process queued work: its next pass claims before writing back. */
    public void workQueued() {
        workQueued.set(true);
        wakeUp.signal();
    }

    /**
     * Claims up to the free slots and returns how many it claimed; a try that finished and waits to be written back no
     * longer takes one.
     */
    private int claim() {
        adoptUncertainClaims();
        int free = settings.slots() - (inFlight.size() - outcomes.size() - unwrittenOutcomes.size())
                - unstarted.size() - abandonedRunning.get();
        if (free <= 0) {
            return 0;
        }
        // Stamped when claimed, not at the pass start; to the microsecond, as the database keeps it, so that a claim
        // whose answer is lost can be found again by its stamp.
        Instant claimedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<ClaimedTry> claimed;
        try {
            claimed = taskInstances.claim(settings.workerId(), settings.hostname(), free, followUp.parallelism(),
                    claimedAt);
        } catch (RuntimeException e) {
            uncertainClaims.add(claimedAt); // it may have committed all the same
            throw e;
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        // Kept before starting: the claim is committed, so a failure to start must not lose them.
        unstarted.addAll(claimed);
        start(claimedAt);
        return claimed.size();
    }

    /**
     * Takes up the tries of claims that failed but may have committed: running under this worker's id, with nobody to
     * run them or to write their outcome, they would stay running for as long as the worker heartbeats.
     */
    private void adoptUncertainClaims() {
        if (uncertainClaims.isEmpty()) {
            return;
        }
        // One read for every claim that failed since the last one that could be checked (an outage fails many).
        Set<TryKey> known = new HashSet<>(inFlight.keySet());
        unstarted.forEach(c -> known.add(TryKey.of(c)));
        List<ClaimedTry> lost = taskInstances.claimedAt(settings.workerId(), uncertainClaims).stream()
                .filter(c -> !known.contains(TryKey.of(c))).toList();
        uncertainClaims.clear();
        if (!lost.isEmpty()) {
            LOG.warn("{} tries were claimed by claims that failed after they committed; running them", lost.size());
            unstarted.addAll(lost);
            start(clock.instant());
        }
    }

    /** Starts tries whose start failed in an earlier pass, but only those still this worker's. */
    private boolean startUnstarted() {
        if (unstarted.isEmpty()) {
            return false;
        }
        List<TryKey> gone = taskInstances.stopRequested(settings.workerId(),
                unstarted.stream().map(TryKey::of).toList());
        unstarted.removeIf(c -> gone.contains(TryKey.of(c)));
        start(clock.instant());
        return true;
    }

    private void start(Instant now) {
        Map<Long, RunRecord> runCache = new HashMap<>();
        List<Long> runIds = unstarted.stream().map(ClaimedTry::runPk).distinct().toList();
        for (RunRecord run : runs.find(runIds)) {
            runCache.put(run.id(), run);
        }
        while (!unstarted.isEmpty()) {
            ClaimedTry c = unstarted.get(0);
            Attempt a = new Attempt(c, runCache.get(c.runPk()), catalog.get(c.dagId()).orElse(null),
                    plugins.type(c.operator()).orElse(null), now);
            unstarted.remove(0);
            inFlight.put(a.key(), a);
            tryLogs.begin(a.key());
            submit(a);
        }
    }

    private void submit(Attempt a) {
        synchronized (a) {
            a.running = true;
        }
        try {
            threads.execute(() -> {
                a.stepStarted();
                TaskRunner.Step step = step(a);
                boolean rescheduled = false;
                synchronized (a) {
                    a.stepEnded();
                    a.running = false;
                    if (a.abandoned) {
                        // The worker wrote this try's outcome when it would not stop; its code returned at last.
                        abandonedRunning.decrementAndGet();
                        LOG.warn("Try {} of {} returned after it was abandoned", a.claimed.tryNumber(),
                                a.claimed.taskId());
                    } else if (step instanceof TaskRunner.PokeAgain again) {
                        // Cancelled meanwhile or not, it waits: the next pass submits a cancelled one at once to fail.
                        a.nextPokeAt = again.at();
                        waitingPokes.put(a.key(), a);
                    } else if (step instanceof TaskRunner.Finished done) {
                        tryLogs.end(a.key());
                        outcomes.add(done.outcome());
                        rescheduled = done.outcome().state() == TaskState.UP_FOR_RESCHEDULE;
                    }
                }
                if (rescheduled) {
                    wakeForReschedules();
                } else {
                    wakeUp.signal();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(a.key());
            tryLogs.forget(a.key());
        }
    }

    /** Runs a step of the try; whatever the runner throws becomes the try's outcome, never a try left behind. */
    private TaskRunner.Step step(Attempt a) {
        try {
            return runner.run(a);
        } catch (Throwable e) {
            // The runner writes the task code's own throwables into the try's outcome; this is a failure of the
            // runner around it, whose try must not keep its slot and task instance forever.
            LOG.error("Unexpected failure running {}", a.claimed.taskId(), e);
            return runner.crashed(a, e);
        }
    }

    /**
     * Wakes the worker {@link #RESCHEDULE_BATCH} after the first of the re-pokes that finished since its last such
     * wake-up: their write-back changes no run and nothing waits for it, so re-pokes are written back, and the due
     * ones claimed, in batches. One pass per re-poke cost more than the re-poke itself.
     */
    private void wakeForReschedules() {
        if (rescheduleWakePending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("weft-worker-reschedules").start(() -> {
                try {
                    Thread.sleep(RESCHEDULE_BATCH.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rescheduleWakePending.set(false);
                wakeUp.signal();
            });
        }
    }

    private void enforceDeadlines(Instant now) {
        for (Attempt a : inFlight.values()) {
            if (a.deadline != null && now.isAfter(a.deadline) && !a.isCancelled()) {
                a.cancel("execution timeout: the try ran longer than " + a.task.executionTimeout(), now);
            }
            if (a.isCancelled() && !a.interrupted && !now.isBefore(a.cancelledAt.plus(settings.interruptAfter()))) {
                a.interrupt();
            }
            // Code that ignores the interrupt too, or a step no thread has started, must not keep its task instance
            // running and its run unfinished: after a second grace its outcome is written anyway, and its step
            // counts as a held slot until it ends.
            Duration waited = settings.interruptAfter().multipliedBy(2);
            if (a.interrupted && !now.isBefore(a.cancelledAt.plus(waited))) {
                synchronized (a) {
                    if (a.running && !a.abandoned) {
                        a.abandoned = true;
                        abandonedRunning.incrementAndGet();
                        TaskRunner.Finished failed = runner.abandoned(a, waited);
                        tryLogs.end(a.key());
                        outcomes.add(failed.outcome());
                        wakeUp.signal();
                    }
                }
            }
        }
    }

    /**
     * Writes the finished outcomes whose try's log is complete, runs the follow-up (the mini scheduler) in the same
     * transaction and queues after it, so the pass's claim that follows can take the downstream tasks; returns whether
     * there was anything to write. When the store fails, what was not written stays for the next pass, and this
     * throws. Without a log loop, the pass writes the logs first.
     */
    boolean flush() {
        writeBackQueued = 0;
        boolean linesWritten = !logLoop && tryLogs.pending() > 0;
        if (linesWritten) {
            tryLogs.writeAll();
        }
        unwrittenOutcomes.addAll(drain(outcomes));
        // A try's outcome waits for its log, so that the log is complete when the outcome shows.
        List<TryOutcome> done = unwrittenOutcomes.stream().filter(o -> tryLogs.written(TryKey.of(o))).toList();
        if (done.isEmpty()) {
            return linesWritten;
        }
        Instant began = clock.instant();
        FinishFollowUp.Result result = outcomeWriter.write(done, this::written);
        Instant written = clock.instant();
        // A re-poke already due is a worker's to claim, as queued work is (later ones are claimed at their time).
        long duePokes = done.stream().filter(o -> o.state() == TaskState.UP_FOR_RESCHEDULE
                && !o.nextAttemptAt().isAfter(written)).count();
        writeBackQueued = result.queued() + (int) duePokes;
        // The scheduler is needed for the runs the follow-up left marked, to refill freed slots when this worker
        // did not queue, and for a retry already due (later ones wait for its tick).
        metrics.writeBack(done.size(), Duration.between(began, written));
        metrics.triesWritten(result.written());
        for (FinishFollowUp.EndedRun run : result.ended()) {
            LOG.info("Run {} of {} ended {}", run.runId(), run.dagId(), run.state().wireName());
            if (run.startDate() != null) {
                metrics.runFinished(run.dagId(), run.state(), Duration.between(run.startDate(), written));
            }
        }
        // An ended run may let a queued run of its DAG start (max_active_runs): the schedulers' step.
        if (result.marked() || !result.ended().isEmpty() || followUp.parallelism() <= 0 || done.stream()
                .anyMatch(o -> o.state() == TaskState.UP_FOR_RETRY && !o.nextAttemptAt().isAfter(written))) {
            wakeups.notifySchedulers();
        }
        return true;
    }

    private void written(TryOutcome o) {
        unwrittenOutcomes.remove(o);
        inFlight.remove(TryKey.of(o));
    }

    /**
     * Writes a batch of the tries' log lines; returns whether lines remain. Called by the log loop, apart from the
     * passes; once it is, passes leave the logs to it. Throws when the store fails (the lines stay).
     */
    public boolean writeLogs() {
        logLoop = true;
        return tryLogs.writeBatch();
    }

    /** Whether log lines wait to be written. */
    public boolean logLinesPending() {
        return tryLogs.pending() > 0;
    }

    /** Given when tries log lines while none wait to be written: the log loop waits for it. */
    public Signal logLinesQueued() {
        return tryLogs.queued();
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
        List<T> items = new ArrayList<>();
        T item;
        while ((item = queue.poll()) != null) {
            items.add(item);
        }
        return items;
    }

    /** How often a pass should run at least, to heartbeat on time. */
    public Duration heartbeatEvery() {
        return settings.heartbeatEvery();
    }

    /** Tries running or waiting to poke. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Cancels every try, waits for them, writes what they wrote, and tells the store this worker stopped. */
    public void stop(Duration grace) {
        Instant now = clock.instant();
        inFlight.values().forEach(a -> a.cancel("the worker is shutting down", now));
        // Waiting poke-mode sensors end like any cancelled try: failed, or up for retry while tries remain.
        List<Attempt> waiting = List.copyOf(waitingPokes.values());
        waitingPokes.clear();
        waiting.forEach(this::submit);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A poke that returned just after the copy above waits again, and no pass will submit it: end it here.
        for (Attempt a : List.copyOf(waitingPokes.values())) {
            waitingPokes.remove(a.key());
            if (step(a) instanceof TaskRunner.Finished done) {
                tryLogs.end(a.key());
                outcomes.add(done.outcome());
            }
        }
        try {
            tryLogs.writeAll();
            flush();
            workers.stopped(settings.workerId(), clock.instant());
        } catch (RuntimeException e) {
            // The scheduler's lost-worker handling writes back the tries whose outcomes did not reach the store.
            LOG.error("Worker {} stopped without writing back {} outcome(s) and {} log line(s)",
                    settings.workerId(), unwrittenOutcomes.size(), tryLogs.pending(), e);
        }
    }
}
