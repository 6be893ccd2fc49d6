package dev.weft.store.engine;

import dev.weft.engine.executor.Worker;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A try's outcome is written whatever happens to the worker short of its death, and no try runs twice: what task code
 * throws, lost workers with cleared tries, and a retry claimed while the older try still runs.
 */
class WorkerFaultsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stop() {
        pools.forEach(ExecutorService::shutdownNow);
        if (engine != null) {
            engine.close();
        }
    }

    private ExecutorService pool() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pools.add(pool);
        return pool;
    }

    private RunRecord dagOf(String type, int retries) {
        DagBuilder b = Dag.builder("faults");
        b.task("t", OperatorRef.of(type, Map.of())).retries(retries).retryDelay(Duration.ofMinutes(1));
        engine.register(b.build());
        return engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
    }

    private TaskInstanceRecord ti(RunRecord run) {
        return engine.ti("faults", run.runId(), "t");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.sleep(5);
        }
    }

    /** Runs worker passes (each may fail as the store does) until the condition holds. */
    private static void passUntil(Worker worker, String what, BooleanSupplier condition) throws InterruptedException {
        await(what, () -> {
            try {
                worker.runOnce();
            } catch (RuntimeException storeFailed) {
                // the next pass tries again
            }
            return condition.getAsBoolean();
        });
    }

    @Test
    void anErrorThrownByTaskCodeIsRetriedThenFailsWithTheErrorInTheLog() {
        engine = new EngineHarness(NOW);
        RunRecord run = dagOf("test.huge_allocation", 1);
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("OutOfMemoryError"));

        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log("faults", run.runId(), "t", 2)).anyMatch(l -> l.contains("OutOfMemoryError"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aFailureThatEvenFailsToBeLoggedStillEndsTheTry() {
        engine = new EngineHarness(NOW);
        RunRecord run = dagOf("test.unprintable_failure", 0);
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("could not be read"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aClearedTryOfALostWorkerRunsAgain() throws Exception {
        engine = new EngineHarness(NOW);
        ExecutorService dyingThreads = pool();
        Worker dying = engine.worker("dying", 1, dyingThreads);
        dying.register();
        RunRecord run = dagOf("test.first_try_waits", 0);
        engine.scheduler.runOnce();
        dying.runOnce();
        await("the first try runs", () -> TestPlugin.FIRST_TRIES.get() == 1);
        engine.runs.clear(new RunService.ClearRequest("faults", List.of("t"), null, null, run.runId(), false, false,
                false, false, false, false, false, false));
        assertThat(ti(run).state()).isEqualTo(TaskState.RESTARTING);

        // The worker dies before it writes the try back.
        dyingThreads.shutdownNow();
        await("the dead worker's try ends", () -> TestPlugin.FIRST_TRIES.get() == 0);
        engine.clock.advance(EngineHarness.WORKER_LOST_AFTER.plusSeconds(1));
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("cleared meanwhile"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aRetryClaimedByTheSameWorkerWhileTheOldTryStillRunsStopsTheOldTry() throws Exception {
        engine = new EngineHarness(NOW);
        // The worker's clock lags the scheduler's by more than the fence tolerates, so it does not fence itself.
        ManualClock lagging = new ManualClock(NOW);
        Worker worker = engine.worker("late", 2, pool(), lagging);
        worker.register();
        RunRecord run = dagOf("test.first_try_waits", 1);
        engine.scheduler.runOnce();
        worker.runOnce();
        await("the first try runs", () -> TestPlugin.FIRST_TRIES.get() == 1);

        engine.clock.advance(EngineHarness.WORKER_LOST_AFTER.plusSeconds(1));
        lagging.advance(Duration.ofSeconds(10));
        engine.scheduler.runOnce(); // declares the worker lost: try 1 up for retry
        engine.clock.advance(Duration.ofMinutes(1));
        engine.scheduler.runOnce();
        assertThat(ti(run).state()).isEqualTo(TaskState.QUEUED);
        assertThat(ti(run).tryNumber()).isEqualTo(2);

        worker.runOnce(); // claims try 2, and its heartbeat finds that try 1 no longer holds the task instance
        await("the old try stops", () -> TestPlugin.FIRST_TRIES.get() == 0);
        passUntil(worker, "both tries are written back", () -> worker.inFlight() == 0);
        assertThat(ti(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log("faults", run.runId(), "t", 1))
                .anyMatch(l -> l.contains("no longer holds its task instance"));
    }
}
