package dev.weft.engine;

import dev.weft.engine.executor.Worker;
import dev.weft.engine.scheduler.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the scheduler and the worker in their own threads. Each loop runs again at once while it makes progress,
 * otherwise waits for a signal from the other (or a trigger) or for the tick, the safety net.
 */
public final class EngineLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineLoops.class);

    private final Scheduler scheduler;
    private final Worker worker;
    private final Signal schedulerSignal;
    private final Signal workerSignal;
    private final Duration tick;
    private final Duration stopGrace;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public EngineLoops(Scheduler scheduler, Worker worker, Signal schedulerSignal, Signal workerSignal, Duration tick,
                       Duration stopGrace) {
        this.scheduler = scheduler;
        this.worker = worker;
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
            threads.add(Thread.ofPlatform().name("weft-worker").start(() -> loop("worker", worker::runOnce, workerSignal, null)));
        }
        if (scheduler != null) {
            threads.add(Thread.ofPlatform().name("weft-scheduler").start(() -> loop("scheduler", scheduler::runOnce, schedulerSignal, workerSignal)));
        }
    }

    private void loop(String name, java.util.function.BooleanSupplier pass, Signal own, Signal other) {
        while (running) {
            try {
                if (pass.getAsBoolean()) {
                    if (other != null) {
                        other.signal();
                    }
                } else {
                    own.await(tick);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be down for a moment: log, back off, and carry on.
                LOG.error("The {} pass failed; retrying in {}", name, tick, e);
                try {
                    Thread.sleep(tick.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
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
