package dev.weft.engine.executor;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.plugin.TaskType;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TryKey;
import dev.weft.spi.Cancellation;
import dev.weft.spi.dag.TaskSpec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One try a worker is running: what it claimed, and the sensor state it keeps between pokes. */
final class Attempt implements Cancellation {
    final ClaimedTry claimed;
    private final TryKey key;
    final RunRecord run;
    /** The DAG the try's task belongs to; null when the DAG is gone (then {@link #task} is null too). */
    final CompiledDag dag;
    final TaskSpec task;
    final TaskType type;
    /** The DAG's params with their defaults, as the try's spec had them (the run's conf overrides them). */
    final Map<String, Object> dagParams;
    final Instant startedAt;
    final Instant deadline;
    final Map<String, String> memo = new LinkedHashMap<>();
    /**
     * The secrets this try has read (sensitive variables, connections' secrets, and those of the XComs it pulled):
     * masked in every line of its log, and remembered by the XComs it writes.
     */
    final SecretMasker secrets = new SecretMasker();
    /**
     * The values of the params its task type calls sensitive, as written and as rendered: masked in its log too, but
     * not remembered by its XComs, as such a param holds values that are no secret beside its secret ones (an http
     * operator's headers).
     */
    final SecretMasker sensitiveParams = new SecretMasker();
    Instant firstPokeAt;
    int pokeCount;
    Instant nextPokeAt;
    /** The latest poke's "not yet" answer, without the time of the next poke; null when it answered otherwise. */
    String answer;
    /** Why the try failed, for its failure and retry callbacks; null while it has not. */
    String error;
    /** A poke-mode sensor's file appeared (see {@link FileWatcher}): poke again without waiting for nextPokeAt. */
    volatile boolean pokeNow;
    private volatile String cancelReason;
    volatile Instant cancelledAt;
    volatile boolean interrupted;
    /**
     * Whether a step of this try was handed to a thread and has not ended, whether the worker wrote its outcome while
     * that step still ran (see {@link Worker}), and the thread running the step once it started; read and changed only
     * while holding this attempt's lock.
     */
    boolean running;
    boolean abandoned;
    private Thread thread;
    private boolean started;

    Attempt(ClaimedTry claimed, RunRecord run, CompiledDag dag, TaskType type, Instant startedAt) {
        this.claimed = claimed;
        this.key = TryKey.of(claimed);
        this.run = run;
        this.dag = dag;
        this.task = dag == null ? null : dag.task(claimed.taskId());
        this.type = task == null ? null : type;
        this.dagParams = dag == null ? Map.of() : dag.spec().params();
        this.startedAt = startedAt;
        this.deadline = task == null || task.executionTimeout() == null ? null : startedAt.plus(task.executionTimeout());
        this.pokeCount = claimed.pokeCount();
        if (claimed.sensorMemo() != null) {
            claimed.sensorMemo().forEach((k, v) -> memo.put(k, String.valueOf(v)));
        }
    }

    TryKey key() {
        return key;
    }

    /** Called by the thread that runs a step of this try, as the step starts. */
    synchronized void stepStarted() {
        thread = Thread.currentThread();
        started = true;
    }

    /** Called by that thread as the step ends: an interrupt meant for this try must not reach its next task. */
    synchronized void stepEnded() {
        thread = null;
        Thread.interrupted();
    }

    /** Whether a step of this try ever started on a thread. */
    synchronized boolean started() {
        return started;
    }

    /**
     * Interrupts the step running now, if any. A step handed to a thread that has not started it yet is left to
     * start: it finds the try cancelled and ends it at once. Cancelling its future instead would drop it unrun, and
     * with it the end of the step that frees the try's slot.
     */
    synchronized void interrupt() {
        interrupted = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    void cancel(String reason, Instant at) {
        if (cancelReason == null) {
            cancelReason = reason;
            cancelledAt = at;
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    @Override
    public String reason() {
        return cancelReason;
    }
}
