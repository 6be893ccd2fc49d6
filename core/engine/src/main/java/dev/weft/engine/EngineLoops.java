package dev.weft.engine;

import dev.weft.engine.callbacks.CallbackRunner;
import dev.weft.engine.executor.Worker;
import dev.weft.engine.scheduler.Scheduler;
import dev.weft.engine.store.Transactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs the scheduler and the worker in their own threads. After each pass a loop waits for a signal (a finished
 * task, queued work, a trigger; one given during the pass ends the wait at once) or for the tick, the safety net; it
 * runs again without waiting only when the pass says it left work for another pass. A pass that fails, whatever it
 * throws, is logged and retried after a tick: a loop ends only when closed. The worker's loop waits no longer than
 * its heartbeat interval. The worker's heartbeat has a thread of its own (a slow pass must not delay it), its tries'
 * log lines another (a chatty task must not slow the passes), and its fence is checked on a third, as a heartbeat may
 * hang on a dead connection. Beside a worker, the stored callbacks are run by a loop of their own every tick (a slow
 * webhook must not hold a try's slot). Each loop keeps a connection for its passes' store steps (see
 * {@link Transactor.Session}).
 */
public final class EngineLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineLoops.class);

    private final Scheduler scheduler;
    private final Worker worker;
    private final CallbackRunner callbacks;
    private final Signal callbacksLeft = new Signal();
    private final Signal schedulerSignal;
    private final Signal workerSignal;
    private final Duration tick;
    private final Duration stopGrace;
    private final Transactor connections;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private final List<Thread> workerHelpers = new ArrayList<>();

    /**
     * @param callbacks   runs the stored callbacks beside the worker; null when this process runs none
     * @param connections opens each loop's session: a connection kept for its passes
     */
    public EngineLoops(Scheduler scheduler, Worker worker, CallbackRunner callbacks, Signal schedulerSignal,
                       Signal workerSignal, Duration tick, Duration stopGrace, Transactor connections) {
        this.connections = connections;
        this.scheduler = scheduler;
        this.worker = worker;
        this.callbacks = callbacks;
        this.schedulerSignal = schedulerSignal;
        this.workerSignal = workerSignal;
        this.tick = tick;
        this.stopGrace = stopGrace;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (worker != null) {
            worker.register();
            // The worker wakes the scheduler itself, when a write-back left runs for it to examine.
            // Waits no longer than the heartbeat interval, which is short under a short worker-lost limit.
            Duration wait = worker.heartbeatEvery().compareTo(tick) < 0 ? worker.heartbeatEvery() : tick;
            threads.add(Thread.ofPlatform().name("weft-worker").start(() -> loop("worker", worker::runOnce, () -> false,
                    workerSignal, null, wait)));
            workerHelpers.add(Thread.ofPlatform().name("weft-worker-fence").daemon(true)
                    .start(() -> every(wait, "fence check", worker::fenceIfSilent)));
            workerHelpers.add(Thread.ofPlatform().name("weft-worker-heartbeat").daemon(true)
                    .start(() -> every(worker.heartbeatEvery(), "heartbeat", worker::heartbeat)));
            threads.add(Thread.ofPlatform().name("weft-worker-logs").start(() -> loop("worker's log", worker::writeLogs,
                    worker::logLinesPending, worker.logLinesQueued(), null, wait)));
        }
        if (callbacks != null) {
            // A full batch may have left more: the next pass runs at once.
            threads.add(Thread.ofPlatform().name("weft-callbacks").start(() -> loop("callbacks", () -> {
                if (callbacks.runOnce()) {
                    callbacksLeft.signal();
                }
                return false;
            }, () -> false, callbacksLeft, null, tick)));
        }
        if (scheduler != null) {
            threads.add(Thread.ofPlatform().name("weft-scheduler").start(() -> loop("scheduler", scheduler::runOnce,
                    scheduler::wantsRerun, schedulerSignal, workerSignal, tick)));
        }
    }

    /** Whether the loops run: started, not closed, and no loop thread ended (a loop ends only when closed). */
    public boolean alive() {
        return running && threads.stream().allMatch(Thread::isAlive);
    }

    private void loop(String name, BooleanSupplier pass, BooleanSupplier rerun, Signal own, Signal other,
                      Duration wait) {
        try (Transactor.Session session = connections.openSession()) {
            loop(name, pass, rerun, own, other, wait, session);
        }
    }

    private void loop(String name, BooleanSupplier pass, BooleanSupplier rerun, Signal own, Signal other,
                      Duration wait, Transactor.Session session) {
        while (running) {
            try {
                if (session.run(pass::getAsBoolean) && other != null) {
                    other.signal();
                }
                // A signal given during the pass ends this wait at once; a pass that finished its work waits for one.
                if (!rerun.getAsBoolean()) {
                    own.await(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // The database may be down for a moment, or a pass hit a bug or ran out of memory: log, back off,
                // and carry on. A worker whose passes keep failing stops heartbeating, and fences itself.
                LOG.error("The {} pass failed; retrying in {}", name, wait, e);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs {@code step} every {@code interval} until closed; a failure is logged and the next one comes on time. */
    private void every(Duration interval, String name, Runnable step) {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // A worker whose heartbeats keep failing is fenced by the fence check.
                LOG.error("The worker's {} failed", name, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        schedulerSignal.signal();
        workerSignal.signal();
        callbacksLeft.signal();
        workerHelpers.forEach(Thread::interrupt);
        workerHelpers.clear();
        for (Thread t : threads) {
            try {
                t.join(stopGrace.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        if (worker != null) {
            worker.stop(stopGrace);
        }
    }
}
