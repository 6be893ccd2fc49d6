package dev.weft.engine.executor;

import dev.weft.engine.Signal;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TryOutcome;
import dev.weft.engine.store.WorkerStore;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Claims queued task instances from the store and runs them on a bounded number of slots. Outcomes and log lines
 * are written back in batches, one transaction per pass. Poke-mode sensors keep their slot between pokes without
 * holding a thread; execution timeouts and stop requests cancel tries cooperatively, then interrupt them.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /**
     * @param workerId       unique per worker process
     * @param slots          the most tries this worker runs at once (poke-mode sensors included)
     * @param heartbeatEvery how often the worker tells the store it is alive and checks for stop requests
     * @param interruptAfter how long a cancelled try may take to stop before its thread is interrupted
     */
    public record Settings(String workerId, String hostname, long pid, int slots, Duration heartbeatEvery,
                           Duration interruptAfter) {
    }

    private final TaskInstanceStore taskInstances;
    private final RunStore runs;
    private final LogStore logs;
    private final WorkerStore workers;
    private final DagCatalog catalog;
    private final PluginRegistry plugins;
    private final TaskRunner runner;
    private final Settings settings;
    private final Clock clock;
    private final ExecutorService threads;
    private final Signal finishedSignal;
    private final FinishFollowUp followUp;
    private final Map<Long, Attempt> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TryOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LogStore.Line> pendingLines = new ConcurrentLinkedQueue<>();
    private final Map<Long, Attempt> waitingPokes = new ConcurrentHashMap<>();
    private final Signal wakeUp;
    private Instant lastHeartbeat = Instant.MIN;
    private boolean writeBackQueued;
    private final AtomicBoolean workQueued = new AtomicBoolean();

    public Worker(TaskInstanceStore taskInstances, RunStore runs, LogStore logs, WorkerStore workers,
                  DagCatalog catalog, PluginRegistry plugins, TaskRunnerFactory runnerFactory, Settings settings,
                  Clock clock, ExecutorService threads, Signal wakeUp, Signal finishedSignal,
                  FinishFollowUp followUp) {
        this.taskInstances = taskInstances;
        this.runs = runs;
        this.logs = logs;
        this.workers = workers;
        this.catalog = catalog;
        this.plugins = plugins;
        this.runner = runnerFactory.create(pendingLines::add, wakeUp::signal);
        this.settings = settings;
        this.clock = clock;
        this.threads = threads;
        this.wakeUp = wakeUp;
        this.finishedSignal = finishedSignal;
        this.followUp = followUp;
    }

    public void register() {
        workers.register(settings.workerId(), settings.hostname(), settings.pid(), clock.instant());
        lastHeartbeat = clock.instant();
    }

    /**
     * One pass: claim queued work, write back what finished (and claim what that write-back queued), keep time-outs
     * and stop requests, poke due sensors.
     */
    public boolean runOnce() {
        Instant now = clock.instant();
        // Claim first when a scheduler queued work (it should not wait for this worker's write-back) or when there is
        // nothing to write back; otherwise the write-back comes first, as it may queue the downstream tasks.
        boolean claimFirst = workQueued.getAndSet(false) || outcomes.isEmpty();
        boolean changed = claimFirst && claim();
        if (flush()) {
            changed = true;
        }
        if (!claimFirst || writeBackQueued) {
            changed |= claim();
        }
        if (!now.isBefore(lastHeartbeat.plus(settings.heartbeatEvery()))) {
            workers.heartbeat(settings.workerId(), now);
            lastHeartbeat = now;
            for (Long id : taskInstances.stopRequested(settings.workerId(), List.copyOf(inFlight.keySet()))) {
                Attempt a = inFlight.get(id);
                if (a != null) {
                    a.cancel("the task was cleared or marked while running", now);
                }
            }
        }
        enforceDeadlines(now);
        for (Attempt a : List.copyOf(waitingPokes.values())) {
            if (a.isCancelled() || a.pokeNow || !now.isBefore(a.nextPokeAt)) {
                waitingPokes.remove(a.claimed.id());
                submit(a);
                changed = true;
            }
        }
        return changed;
    }

    /** Tells the worker that a scheduler in this process queued work: its next pass claims before writing back. */
    public void workQueued() {
        workQueued.set(true);
        wakeUp.signal();
    }

    /** Claims up to the free slots; a try that finished and waits to be written back no longer takes one. */
    private boolean claim() {
        int free = settings.slots() - (inFlight.size() - outcomes.size());
        if (free <= 0) {
            return false;
        }
        // Stamped when claimed, not at the pass start.
        Instant claimedAt = clock.instant();
        List<ClaimedTry> claimed = taskInstances.claim(settings.workerId(), settings.hostname(), free, claimedAt);
        if (claimed.isEmpty()) {
            return false;
        }
        start(claimed, claimedAt);
        return true;
    }

    private void start(List<ClaimedTry> claimed, Instant now) {
        Map<Long, RunRecord> runCache = new HashMap<>();
        List<Long> runIds = claimed.stream().map(ClaimedTry::runPk).distinct().toList();
        for (RunRecord run : runs.find(runIds)) {
            runCache.put(run.id(), run);
        }
        for (ClaimedTry c : claimed) {
            Optional<CompiledDag> dag = catalog.get(c.dagId());
            TaskSpec task = dag.map(d -> d.task(c.taskId())).orElse(null);
            TaskType type = plugins.type(c.operator()).orElse(null);
            Attempt a = new Attempt(c, runCache.get(c.runPk()), task, task == null ? null : type,
                    dag.map(d -> d.spec().params()).orElse(Map.of()), now);
            inFlight.put(c.id(), a);
            submit(a);
        }
    }

    private void submit(Attempt a) {
        try {
            a.future = threads.submit(() -> {
                TaskRunner.Step step;
                try {
                    step = runner.run(a);
                } catch (Throwable e) {
                    // The runner writes the task code's own throwables into the try's outcome; this is a failure of
                    // the runner around it, whose try must not keep its slot and task instance forever.
                    LOG.error("Unexpected failure running {}", a.claimed.taskId(), e);
                    step = runner.crashed(a, e);
                }
                if (step instanceof TaskRunner.PokeAgain again) {
                    // Cancelled meanwhile or not, it waits: the next pass submits a cancelled one at once to fail.
                    a.nextPokeAt = again.at();
                    waitingPokes.put(a.claimed.id(), a);
                } else if (step instanceof TaskRunner.Finished done) {
                    outcomes.add(done.outcome());
                }
                wakeUp.signal();
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(a.claimed.id());
        }
    }

    private void enforceDeadlines(Instant now) {
        for (Attempt a : inFlight.values()) {
            if (a.deadline != null && now.isAfter(a.deadline) && !a.isCancelled()) {
                a.cancel("execution timeout: the try ran longer than " + a.task.executionTimeout(), now);
            }
            if (a.isCancelled() && !a.interrupted && a.future != null
                    && !now.isBefore(a.cancelledAt.plus(settings.interruptAfter()))) {
                a.interrupted = true;
                a.future.cancel(true);
            }
        }
    }

    /**
     * Writes finished outcomes and pending log lines, and runs the follow-up (the mini scheduler) in the same
     * transaction, so the pass's claim that follows can take the downstream tasks it queued; returns whether there
     * was anything to write.
     */
    boolean flush() {
        writeBackQueued = false;
        List<LogStore.Line> lines = drain(pendingLines);
        List<TryOutcome> done = drain(outcomes);
        if (lines.isEmpty() && done.isEmpty()) {
            return false;
        }
        logs.append(lines);
        if (!done.isEmpty()) {
            FinishFollowUp.Result result = taskInstances.finish(done, followUp, clock.instant());
            done.forEach(o -> inFlight.remove(o.id()));
            writeBackQueued = result.queued() > 0;
            // The scheduler is needed for the runs the follow-up left marked, to refill freed slots when the
            // follow-up does not queue, and for a retry or re-poke already due (later ones wait for its tick).
            Instant written = clock.instant();
            if (result.marked() || followUp.parallelism() <= 0 || done.stream()
                    .anyMatch(o -> o.nextAttemptAt() != null && !o.nextAttemptAt().isAfter(written))) {
                finishedSignal.signal();
            }
        }
        return true;
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
        List<T> items = new ArrayList<>();
        T item;
        while ((item = queue.poll()) != null) {
            items.add(item);
        }
        return items;
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
        flush();
        workers.stopped(settings.workerId(), clock.instant());
    }
}
