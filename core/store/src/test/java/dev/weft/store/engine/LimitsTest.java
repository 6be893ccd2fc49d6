package dev.weft.store.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.StuckTasks;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import dev.weft.spi.dag.TaskBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallelism, max_active_tasks, pools, and sensors that hold or free their slots. */
class LimitsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @BeforeEach
    void reset() {
        TestPlugin.RUNNING.set(0);
        TestPlugin.MAX_RUNNING.set(0);
        TestPlugin.RELEASE.drainPermits();
    }

    @AfterEach
    void stop() {
        TestPlugin.RELEASE.release(1000);
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord trigger(String dagId) {
        return engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
    }

    /** Lets blocked tasks finish one at a time until the run ends, returning the most that ran at once. */
    private int drain(RunRecord run) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (engine.db.runs().find(run.id()).orElseThrow().state() != RunState.SUCCESS && System.nanoTime() < until) {
            engine.scheduler.runOnce();
            engine.workerPass();
            if (TestPlugin.RUNNING.get() > 0 && TestPlugin.RELEASE.availablePermits() == 0) {
                Thread.sleep(20); // let the queued tries start before one is released
                TestPlugin.RELEASE.release();
            }
            Thread.sleep(2);
        }
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        return TestPlugin.MAX_RUNNING.get();
    }

    @Test
    void maxActiveTasksBoundsHowManyRunAtOnce() throws InterruptedException {
        engine = new EngineHarness(NOW, 32, 10, true);
        DagBuilder b = Dag.builder("two_at_a_time").maxActiveTasks(2);
        for (int i = 0; i < 5; i++) {
            b.task("t" + i, OperatorRef.of("test.block", Map.of()));
        }
        engine.register(b.build());
        assertThat(drain(trigger("two_at_a_time"))).isEqualTo(2);
    }

    @Test
    void poolSlotsBoundTasksAcrossDags() throws InterruptedException {
        engine = new EngineHarness(NOW, 32, 10, true);
        engine.db.pools().upsert(new PoolStore.Pool("tiny", 1, "one slot", false));
        DagBuilder b = Dag.builder("pooled");
        for (int i = 0; i < 3; i++) {
            b.task("t" + i, OperatorRef.of("test.block", Map.of())).pool("tiny");
        }
        engine.register(b.build());
        assertThat(drain(trigger("pooled"))).isEqualTo(1);
    }

    @Test
    void parallelismBoundsEverything() throws InterruptedException {
        engine = new EngineHarness(NOW, 3, 10, true);
        DagBuilder b = Dag.builder("wide");
        for (int i = 0; i < 8; i++) {
            b.task("t" + i, OperatorRef.of("test.block", Map.of()));
        }
        engine.register(b.build());
        assertThat(drain(trigger("wide"))).isEqualTo(3);
    }

    @Test
    void aPokingSensorHoldsItsSlotWhileARescheduledOneFreesIt() {
        engine = new EngineHarness(NOW);
        for (SensorMode mode : SensorMode.values()) {
            String dagId = "sensor_" + mode.wireName();
            DagBuilder b = Dag.builder(dagId).maxActiveTasks(1);
            b.sensor("wait", SensorRef.of("test.condition", Map.of("key", "never"))).mode(mode)
                    .pokeInterval(Duration.ofMinutes(1));
            b.task("other", OperatorRef.of("test.noop", Map.of())).priorityWeight(-10);
            engine.register(b.build());
            trigger(dagId);
        }
        engine.settle();
        engine.clock.advance(Duration.ofSeconds(30));
        engine.settle();

        String poke = engine.runsOf("sensor_poke").get(0).runId();
        assertThat(engine.states("sensor_poke", poke)).containsEntry("wait", TaskState.RUNNING)
                .containsEntry("other", TaskState.SCHEDULED);
        String reschedule = engine.runsOf("sensor_reschedule").get(0).runId();
        assertThat(engine.states("sensor_reschedule", reschedule))
                .containsEntry("wait", TaskState.UP_FOR_RESCHEDULE).containsEntry("other", TaskState.SUCCESS);
        assertThat(engine.ti("sensor_reschedule", reschedule, "wait").tryNumber()).isEqualTo(1);
    }

    @Test
    void aDueRePokeIsClaimedWithinTheLimitsLikeAQueuedTask() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("repokes").maxActiveTasks(2);
        for (int i = 0; i < 3; i++) {
            b.sensor("wait_" + i, SensorRef.of("test.condition", Map.of("key", "never")))
                    .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1));
        }
        engine.register(b.build());
        trigger("repokes");
        engine.settle();
        engine.clock.advance(Duration.ofMinutes(2));
        Instant now = engine.clock.instant();

        // Three due, two slots under max_active_tasks; a parallelism of 1 leaves one.
        assertThat(engine.db.taskInstances().claim("other", "h", 10, 1, now)).hasSize(1);
        assertThat(engine.db.taskInstances().claim("other", "h", 10, 32, now)).hasSize(1);
        assertThat(engine.db.taskInstances().claim("other", "h", 10, 32, now)).isEmpty();
        // Without a parallelism to keep to, a worker claims only queued tasks.
        assertThat(engine.db.taskInstances().claim("other", "h", 10, 0, now.plusSeconds(600))).isEmpty();
    }

    /**
     * A queueing pass reads candidates a round at a time, as many as it may pick: when the oldest fill a round but
     * their DAG is full, the next round leaves that DAG out, so a later DAG is not held back behind it.
     */
    @Test
    void aFullDagWithMoreCandidatesThanARoundDoesNotHoldBackTheNext() {
        engine = new EngineHarness(NOW, 8, 10, true);
        DagBuilder busy = Dag.builder("busy").maxActiveTasks(1);
        for (int i = 0; i < 100; i++) {
            busy.task("t" + i, OperatorRef.of("test.block", Map.of()));
        }
        DagBuilder next = Dag.builder("next");
        for (int i = 0; i < 3; i++) {
            next.task("t" + i, OperatorRef.of("test.block", Map.of()));
        }
        engine.register(busy.build(), next.build());
        RunRecord older = engine.runs.trigger(new RunService.Trigger("busy", null, NOW.minusSeconds(3600), null,
                Map.of(), null, null));
        RunRecord later = engine.runs.trigger(new RunService.Trigger("next", null, NOW, null, Map.of(), null, null));
        for (int pass = 0; pass < 3; pass++) {
            engine.scheduler.runOnce(); // no worker: what is queued stays queued
        }
        assertThat(engine.states("busy", older.runId()).values()).filteredOn(s -> s == TaskState.QUEUED).hasSize(1);
        assertThat(engine.states("next", later.runId()).values()).containsOnly(TaskState.QUEUED);
    }

    @Test
    void theWorkerQueuesWithinMaxActiveTasks() throws InterruptedException {
        assertActiveAfterRootFinishes(32, b -> b.maxActiveTasks(2), t -> { }, 2);
    }

    @Test
    void theWorkerQueuesWithinPoolSlots() throws InterruptedException {
        assertActiveAfterRootFinishes(32, b -> { }, t -> t.pool("tiny"), 1);
    }

    /** The scheduler's stuck-task lines while {@code body} runs. */
    private static List<String> stuckTaskLines(Runnable body) {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(StuckTasks.class);
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.INFO);
        try {
            body.run();
        } finally {
            logger.setLevel(null);
            logger.detachAppender(logged);
        }
        return logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void aTaskWhosePoolDoesNotExistIsSaidToBeStuckFromImportUntilThePoolIsCreated() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("unpooled");
        b.task("load", OperatorRef.of("test.noop", Map.of())).pool("warehouse");
        engine.register(b.build());
        String advice = "task 'load' of DAG 'unpooled' uses pool 'warehouse', which does not exist, so it is never"
                + " queued. Create the pool (weft pools set warehouse <slots>, or POST /api/v1/pools)";
        // Known from the DAG as registered, before any run: the first scheduler pass says it.
        assertThat(stuckTaskLines(engine::settle)).singleElement().asString().startsWith("WARN Stuck task: " + advice);
        assertThat(engine.db.pools().tasksShortOfSlots()).containsExactly(
                new PoolStore.Shortage("unpooled", null, "load", "warehouse", 1, null));

        RunRecord run = trigger("unpooled");
        engine.clock.advance(Duration.ofMinutes(2));
        assertThat(stuckTaskLines(engine::settle)).as("said once while it lasts").isEmpty();
        assertThat(engine.ti("unpooled", run.runId(), "load").state()).isEqualTo(TaskState.SCHEDULED);
        assertThat(StuckTasks.explain(engine.db.pools().shortOfSlots())).singleElement().satisfies(s -> {
            assertThat(s.runId()).isEqualTo(run.runId());
            assertThat(s.reason()).isEqualTo(StuckTasks.Reason.UNKNOWN_POOL);
            assertThat(s.message()).startsWith(advice);
        });

        engine.db.pools().upsert(new PoolStore.Pool("warehouse", 1, "", false));
        engine.clock.advance(Duration.ofMinutes(1));
        assertThat(stuckTaskLines(engine::settle)).singleElement().asString().startsWith("INFO Task unpooled.load");
        assertThat(engine.ti("unpooled", run.runId(), "load").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(engine.db.pools().shortOfSlots()).isEmpty();
        assertThat(engine.db.pools().tasksShortOfSlots()).isEmpty();
    }

    @Test
    void aTaskNeedingMoreSlotsThanItsPoolHasIsSaidToBeStuckUntilThePoolGrows() {
        engine = new EngineHarness(NOW);
        engine.db.pools().upsert(new PoolStore.Pool("small", 2, "", false));
        DagBuilder b = Dag.builder("greedy");
        b.task("load", OperatorRef.of("test.noop", Map.of())).pool("small").poolSlots(3);
        engine.register(b.build());
        RunRecord run = trigger("greedy");
        assertThat(stuckTaskLines(engine::settle)).singleElement().asString().isEqualTo("WARN Stuck task: task 'load'"
                + " of DAG 'greedy' needs 3 slots of pool 'small', which has 2, so it is never queued. Give the pool at"
                + " least 3 slots (weft pools set small 3) or lower the task's pool_slots.");
        assertThat(engine.db.pools().shortOfSlots()).containsExactly(
                new PoolStore.Shortage("greedy", run.runId(), "load", "small", 3, 2));

        engine.db.pools().upsert(new PoolStore.Pool("small", 3, "", false));
        engine.settle();
        assertThat(engine.ti("greedy", run.runId(), "load").state()).isEqualTo(TaskState.SUCCESS);
    }

    @Test
    void theWorkerQueuesWithinParallelism() throws InterruptedException {
        assertActiveAfterRootFinishes(3, b -> { }, t -> { }, 3);
    }

    /**
     * The worker's write-back queues downstream tasks (the mini scheduler) within the same limits. root >> d0..d5
     * (blocking tasks): after the worker wrote root back, and with no scheduler pass since, exactly
     * {@code expected} downstream tasks are queued or running and the rest wait as scheduled; then the run completes.
     */
    private void assertActiveAfterRootFinishes(int parallelism, Consumer<DagBuilder> dagLimits,
                                               Consumer<TaskBuilder> taskLimits, int expected)
            throws InterruptedException {
        engine = new EngineHarness(NOW, parallelism, 10, true);
        engine.db.pools().upsert(new PoolStore.Pool("tiny", 1, "one slot", false));
        DagBuilder b = Dag.builder("limited");
        dagLimits.accept(b);
        TaskBuilder root = b.task("root", OperatorRef.of("test.noop", Map.of()));
        for (int i = 0; i < 6; i++) {
            TaskBuilder down = b.task("d" + i, OperatorRef.of("test.block", Map.of()));
            taskLimits.accept(down);
            root.then(down);
        }
        engine.register(b.build());
        RunRecord run = trigger("limited");
        String runId = run.runId();
        engine.scheduler.runOnce();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (engine.states("limited", runId).get("root") != TaskState.SUCCESS && System.nanoTime() < until) {
            engine.workerPass();
            Thread.sleep(2);
        }
        Map<String, TaskState> states = engine.states("limited", runId);
        assertThat(states.get("root")).isEqualTo(TaskState.SUCCESS);
        assertThat(states.values().stream().filter(s -> s == TaskState.QUEUED || s == TaskState.RUNNING).count())
                .isEqualTo(expected);
        assertThat(states.values().stream().filter(s -> s == TaskState.SCHEDULED).count()).isEqualTo(6 - expected);
        assertThat(drain(run)).isEqualTo(expected);
    }
}
