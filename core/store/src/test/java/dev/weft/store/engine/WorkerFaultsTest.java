package dev.weft.store.engine;

import dev.weft.engine.EngineLoops;
import dev.weft.engine.Signal;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A try's outcome is written whatever happens to the worker short of its death, and no try runs twice: what task code
 * throws, write-backs and starts that fail, heartbeats that fail (self-fencing), lost workers with cleared tries, and
 * a retry claimed while the older try still runs.
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

    /** Runs worker heartbeats and passes (each may fail as the store does) until the condition holds. */
    private static void passUntil(Worker worker, String what, BooleanSupplier condition) throws InterruptedException {
        await(what, () -> {
            try {
                worker.heartbeat();
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

    /**
     * Runs a task on a worker whose store fails in the given methods: the pass throws and the task instance stays
     * running; once the store works again, the next pass finishes the task and frees its slot.
     */
    private RunRecord failThenHeal(String type, String... failing) {
        return failThenHeal(type, faults -> {
            for (String method : failing) {
                faults.fail(method);
            }
        });
    }

    private RunRecord failThenHeal(String type, Consumer<StoreFaults> fault) {
        engine = new EngineHarness(NOW);
        StoreFaults faults = new StoreFaults();
        Worker worker = engine.worker("w", 2, new EngineHarness.InlineExecutor(), engine.clock, faults);
        worker.register();
        RunRecord run = dagOf(type, 0);
        engine.scheduler.runOnce();
        fault.accept(faults);
        assertThatThrownBy(worker::runOnce).hasMessageContaining("terminating connection");
        assertThat(ti(run).state()).isEqualTo(TaskState.RUNNING);

        faults.heal();
        worker.runOnce();
        assertThat(ti(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(worker.inFlight()).isZero();
        return run;
    }

    @Test
    void outcomesAndLogLinesOfAFailedWriteBackAreWrittenByALaterPass() {
        RunRecord run = failThenHeal("test.log_conf", "append", "finish");
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("conf is"));
    }

    @Test
    void triesWhoseStartFailedAfterTheClaimRunInALaterPass() {
        failThenHeal("test.noop", "find"); // reading the claimed tries' runs
    }

    @Test
    void triesOfAClaimWhoseAnswerWasLostAfterItCommittedRunInALaterPass() {
        RunRecord run = failThenHeal("test.noop", faults -> faults.failAfter("claim"));
        assertThat(ti(run).tryNumber()).as("the same try, run once").isEqualTo(1);
    }

    @Test
    void aQueueingThatFailsAfterTheWriteBackLeavesTheOutcomeWrittenAndTheQueueingToTheSchedulers() throws Exception {
        engine = new EngineHarness(NOW);
        StoreFaults faults = new StoreFaults();
        Worker worker = engine.worker("w", 2, new EngineHarness.InlineExecutor(), engine.clock, faults);
        worker.register();
        DagBuilder b = Dag.builder("faults");
        b.task("a", OperatorRef.of("test.noop", Map.of())).then(b.task("b", OperatorRef.of("test.noop", Map.of())));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
        engine.scheduler.runOnce();
        faults.fail("queue");
        engine.signal.await(Duration.ZERO); // the trigger's wake-up

        worker.runOnce(); // claims a, runs it, writes it back (b scheduled), then fails to queue b
        assertThat(engine.ti("faults", run.runId(), "a").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(engine.ti("faults", run.runId(), "b").state()).isEqualTo(TaskState.SCHEDULED);
        assertThat(engine.signal.await(Duration.ZERO)).as("the schedulers are woken to queue it").isTrue();
        faults.heal();
        engine.scheduler.runOnce();
        assertThat(engine.ti("faults", run.runId(), "b").state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void aWorkerWhoseWriteBacksKeepFailingStopsHeartbeatingAndItsTriesAreTakenOver() {
        engine = new EngineHarness(NOW);
        StoreFaults faults = new StoreFaults();
        Worker worker = engine.worker("w", 2, new EngineHarness.InlineExecutor(), engine.clock, faults);
        worker.register();
        RunRecord run = dagOf("test.noop", 1);
        engine.scheduler.runOnce();
        faults.fail("finish");
        // Heartbeats go on, on their own thread, until the write-backs have failed for the fence's three quarters of
        // the limit; then they stop, and the limit later the scheduler takes the try over.
        Duration fence = EngineHarness.WORKER_LOST_AFTER.multipliedBy(3).dividedBy(4);
        for (int i = 0; i <= fence.plus(EngineHarness.WORKER_LOST_AFTER).toSeconds() + 3; i += 3) {
            engine.clock.advance(Duration.ofSeconds(3));
            worker.heartbeat();
            assertThatThrownBy(worker::runOnce).hasMessageContaining("terminating connection");
        }
        engine.scheduler.runOnce();
        assertThat(ti(run).state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("worker lost"));
    }

    @Test
    void aWorkerPassThatThrowsAnErrorDoesNotEndTheWorkerLoop() throws Exception {
        engine = new EngineHarness(NOW);
        StoreFaults faults = new StoreFaults();
        Worker worker = engine.worker("w", 2, new EngineHarness.InlineExecutor(), engine.clock, faults);
        faults.fail("claim", () -> new OutOfMemoryError("simulated"));
        RunRecord run = dagOf("test.noop", 0);
        engine.scheduler.runOnce();
        try (EngineLoops loops = new EngineLoops(null, worker, null, new Signal(), new Signal(), Duration.ofMillis(10),
                Duration.ofSeconds(1), engine.db.transactor())) {
            loops.start();
            await("the loop passes again after an Error", () -> faults.thrown("claim") >= 2);
            faults.heal();
            await("the task runs", () -> ti(run).state() == TaskState.SUCCESS);
        }
    }

    @Test
    void aWorkerThatCannotHeartbeatStopsItsTriesBeforeTheSchedulerMayTakeThemAndClaimsAgainOnceItCan()
            throws Exception {
        engine = new EngineHarness(NOW);
        StoreFaults faults = new StoreFaults();
        Worker worker = engine.worker("cut-off", 2, pool(), engine.clock, faults);
        worker.register();
        RunRecord run = dagOf("test.first_try_waits", 1);
        engine.scheduler.runOnce();
        worker.runOnce();
        await("the first try runs", () -> TestPlugin.FIRST_TRIES.get() == 1);

        faults.fail("heartbeat");
        Duration fence = EngineHarness.WORKER_LOST_AFTER.multipliedBy(3).dividedBy(4); // the worker's fence
        for (Duration silent = Duration.ZERO; silent.compareTo(fence) < 0; silent = silent.plusSeconds(3)) {
            Duration step = fence.minus(silent).compareTo(Duration.ofSeconds(3)) < 0 ? fence.minus(silent)
                    : Duration.ofSeconds(3);
            engine.clock.advance(step);
            assertThatThrownBy(worker::heartbeat).hasMessageContaining("terminating connection");
            worker.fenceIfSilent();
            worker.runOnce();
        }
        assertThat(TestPlugin.FIRST_TRIES.get()).as("still running at the fence").isEqualTo(1);
        engine.clock.advance(Duration.ofSeconds(1));
        worker.fenceIfSilent();
        await("the fenced try stops", () -> TestPlugin.FIRST_TRIES.get() == 0);
        assertThat(engine.clock.instant()).isBefore(NOW.plus(EngineHarness.WORKER_LOST_AFTER));

        // The scheduler takes the try over once the limit passed; the worker, healed, writes its log and claims anew.
        engine.clock.advance(EngineHarness.WORKER_LOST_AFTER);
        engine.scheduler.runOnce();
        assertThat(ti(run).state()).isEqualTo(TaskState.UP_FOR_RETRY);
        faults.heal();
        engine.clock.advance(Duration.ofMinutes(1));
        engine.scheduler.runOnce();
        passUntil(worker, "the retry runs on the healed worker", () -> ti(run).state() == TaskState.SUCCESS);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(ti(run).workerId()).isEqualTo("cut-off");
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("fenced"))
                .anyMatch(l -> l.contains("worker lost"));
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
        Worker worker = engine.worker("late", 2, pool(), lagging, null);
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

        worker.runOnce(); // claims try 2
        worker.heartbeat(); // finds the worker declared lost: registers anew, and stops try 1 at once
        await("the old try stops", () -> TestPlugin.FIRST_TRIES.get() == 0);
        passUntil(worker, "both tries are written back", () -> worker.inFlight() == 0);
        assertThat(ti(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log("faults", run.runId(), "t", 1))
                .anyMatch(l -> l.contains("fenced: worker late was declared lost"));
        assertThat(engine.db.workers().heartbeat("late", lagging.instant())).as("registered anew").isTrue();
    }

    @Test
    void aTryThatIgnoresItsInterruptIsFailedAfterASecondGraceAndItsThreadKeepsASlotUntilItReturns() throws Exception {
        engine = new EngineHarness(NOW);
        Worker worker = engine.worker("w", 1, pool());
        worker.register();
        DagBuilder b = Dag.builder("faults");
        b.task("t", OperatorRef.of("test.deaf", Map.of())).executionTimeout(Duration.ofSeconds(1));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
        engine.scheduler.runOnce();
        worker.runOnce();
        assertThat(ti(run).state()).isEqualTo(TaskState.RUNNING);
        assertThat(TestPlugin.DEAF_STARTED.tryAcquire(20, TimeUnit.SECONDS)).as("the try's code started").isTrue();

        engine.clock.advance(Duration.ofSeconds(2));
        worker.runOnce(); // past its timeout: cancelled
        engine.clock.advance(Duration.ofSeconds(10));
        worker.runOnce(); // interrupted, in vain
        assertThat(ti(run).state()).isEqualTo(TaskState.RUNNING);
        engine.clock.advance(Duration.ofSeconds(10));
        passUntil(worker, "the outcome is written without the thread", () -> ti(run).state() == TaskState.FAILED);
        assertThat(engine.log("faults", run.runId(), "t", 1))
                .anyMatch(l -> l.contains("did not stop within PT20S of being interrupted"))
                .anyMatch(l -> l.contains("execution timeout"));

        // The thread still runs: its slot stays taken, so the next run's try is not claimed until it returns.
        RunRecord next = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
        engine.scheduler.runOnce();
        worker.runOnce();
        assertThat(ti(next).state()).isEqualTo(TaskState.QUEUED);
        TestPlugin.DEAF_RELEASE.countDown();
        passUntil(worker, "the freed slot takes the next try", () -> ti(next).state() == TaskState.SUCCESS);
        assertThat(ti(run).state()).as("the late return changes nothing").isEqualTo(TaskState.FAILED);
    }

    @Test
    void aTryCancelledBeforeAnyThreadStartedItIsFailedAndFreesItsSlotOnceAThreadTakesIt() throws Exception {
        engine = new EngineHarness(NOW);
        // The worker's only thread is busy: the try's step waits behind another task.
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        pools.add(oneThread);
        CountDownLatch busy = new CountDownLatch(1);
        oneThread.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException stopped) {
                // the test is over
            }
        });
        Worker worker = engine.worker("w", 1, oneThread);
        worker.register();
        DagBuilder b = Dag.builder("faults");
        b.task("t", OperatorRef.of("test.noop", Map.of())).executionTimeout(Duration.ofSeconds(1));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
        engine.scheduler.runOnce();
        worker.runOnce(); // claimed; its step waits for the thread

        engine.clock.advance(Duration.ofSeconds(2));
        worker.runOnce(); // past its timeout: cancelled
        engine.clock.advance(Duration.ofSeconds(10));
        worker.runOnce(); // the interrupt finds no thread to interrupt
        engine.clock.advance(Duration.ofSeconds(10));
        passUntil(worker, "the outcome is written without the step", () -> ti(run).state() == TaskState.FAILED);
        assertThat(engine.log("faults", run.runId(), "t", 1))
                .anyMatch(l -> l.contains("no thread had started it PT20S later"));

        // The step still waits for a thread, and holds the slot; once a thread takes it, it ends at once and frees it.
        RunRecord next = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
        engine.scheduler.runOnce();
        worker.runOnce();
        assertThat(ti(next).state()).isEqualTo(TaskState.QUEUED);
        busy.countDown();
        passUntil(worker, "the freed slot takes the next try", () -> ti(next).state() == TaskState.SUCCESS);
        assertThat(ti(run).state()).as("the late step changes nothing").isEqualTo(TaskState.FAILED);
    }

    @Test
    void anOutcomeTheStoreRefusesForGoodDoesNotHoldBackTheOthersAndFailsItsTry() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("faults");
        b.task("refused", OperatorRef.of("test.nul_output", Map.of())).retries(2);
        b.task("fine", OperatorRef.of("test.noop", Map.of()));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));

        engine.settle(); // one pass runs both and writes them back in one batch, which the store refuses
        assertThat(engine.ti("faults", run.runId(), "fine").state()).isEqualTo(TaskState.SUCCESS);
        TaskInstanceRecord refused = engine.ti("faults", run.runId(), "refused");
        assertThat(refused.state()).isEqualTo(TaskState.FAILED);
        assertThat(refused.tryNumber()).isEqualTo(1);
        assertThat(engine.log("faults", run.runId(), "refused", 1))
                .anyMatch(l -> l.contains("The database refused this try's outcome (success)")
                        && l.contains("the try is failed instead"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void heartbeatsGoOnWhileAPassHangs() throws Exception {
        engine = new EngineHarness(NOW);
        CountDownLatch release = new CountDownLatch(1);
        StoreFaults faults = claimHangingUntil(release);
        Worker worker = engine.worker("slow", 2, pool(), Clock.systemUTC(), faults);
        try (EngineLoops loops = new EngineLoops(null, worker, null, new Signal(), new Signal(), Duration.ofMillis(10),
                Duration.ofSeconds(1), engine.db.transactor())) {
            loops.start();
            await("the pass hangs in its claim", () -> faults.thrown("claim") == 1);
            Instant registered = heartbeatAt("slow");
            await("a heartbeat while the pass hangs", () -> heartbeatAt("slow").isAfter(registered));
            assertThat(faults.thrown("claim")).as("still the first pass").isEqualTo(1);
            release.countDown();
        }
    }

    @Test
    void aWorkerWhosePassHangsForLongStopsHeartbeating() throws Exception {
        engine = new EngineHarness(NOW);
        CountDownLatch release = new CountDownLatch(1);
        StoreFaults faults = claimHangingUntil(release);
        Worker worker = engine.worker("hung", 2, pool(), engine.clock, faults);
        worker.register();
        Thread pass = Thread.ofPlatform().daemon().start(() -> {
            try {
                worker.runOnce();
            } catch (RuntimeException expected) {
                // the claim fails once released
            }
        });
        await("the pass hangs in its claim", () -> faults.thrown("claim") == 1);
        engine.clock.advance(Duration.ofSeconds(3));
        worker.heartbeat();
        assertThat(heartbeatAt("hung")).as("a pass hanging 3 s").isEqualTo(NOW.plusSeconds(3));

        engine.clock.advance(EngineHarness.WORKER_LOST_AFTER.multipliedBy(3).dividedBy(4));
        worker.heartbeat();
        assertThat(heartbeatAt("hung")).as("a pass hanging three quarters of the limit").isEqualTo(NOW.plusSeconds(3));
        release.countDown();
        pass.join();
    }

    /** Store faults whose claim hangs until {@code release}, then fails. */
    private static StoreFaults claimHangingUntil(CountDownLatch release) {
        StoreFaults faults = new StoreFaults();
        faults.fail("claim", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new IllegalStateException("the claim hung");
        });
        return faults;
    }

    private Instant heartbeatAt(String workerId) {
        return engine.db.jdbi().withHandle(h -> h.createQuery("SELECT heartbeat_at FROM worker WHERE worker_id = :w")
                .bind("w", workerId).mapTo(Instant.class).one());
    }

    @Test
    void aWorkerWhoseRowIsGoneRegistersAnew() {
        engine = new EngineHarness(NOW);
        Worker worker = engine.worker("forgotten", 1, new EngineHarness.InlineExecutor());
        worker.register();
        engine.db.jdbi().useHandle(h -> h.execute("DELETE FROM worker WHERE worker_id = 'forgotten'"));
        worker.heartbeat();
        assertThat(heartbeatAt("forgotten")).isEqualTo(NOW);
    }
}
