package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.MiniScheduler;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.store.TryOutcome;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import dev.weft.spi.dag.TaskBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker's write-back decides and queues the direct downstream of a succeeded task in the same transaction (the
 * mini scheduler) and leaves the scheduler whatever it did not settle; {@link LimitsTest} checks that it queues within
 * the limits.
 */
class MiniSchedulerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final OperatorRef NOOP = OperatorRef.of("test.noop", Map.of());
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord trigger(String dagId) {
        return engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
    }

    private boolean marked(RunRecord run) {
        return engine.db.jdbi().withHandle(h -> h.createQuery("SELECT needs_scheduling FROM dag_run WHERE id = :id")
                .bind("id", run.id()).mapTo(Boolean.class).one());
    }

    private RunState runState(RunRecord run) {
        return engine.db.runs().find(run.id()).orElseThrow().state();
    }

    @Test
    void aChainRunsOnWorkerPassesAloneAndOnlyItsEndNeedsTheScheduler() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("chain");
        b.task("a", NOOP).then(b.task("b", NOOP)).then(b.task("c", NOOP));
        engine.register(b.build());
        RunRecord run = trigger("chain");
        engine.scheduler.runOnce(); // starts the run and queues a
        assertThat(marked(run)).isFalse();
        assertThat(engine.scheduler.wantsRerun()).as("the pass finished what it started").isFalse();

        engine.workerPass(); // claims and runs a, writes it back, which queues b; claims and runs b
        String runId = run.runId();
        assertThat(engine.states("chain", runId)).containsEntry("a", TaskState.SUCCESS)
                .containsEntry("b", TaskState.RUNNING).containsEntry("c", TaskState.NONE);
        assertThat(engine.ti("chain", runId, "b").queuedAt()).isNotNull();
        assertThat(marked(run)).as("the edge a → b was settled without the scheduler").isFalse();

        engine.workerPass(); // writes b back, which queues c; claims and runs c
        engine.workerPass(); // writes c back: a leaf, the run may be over
        assertThat(engine.states("chain", runId)).containsOnly(Map.entry("a", TaskState.SUCCESS),
                Map.entry("b", TaskState.SUCCESS), Map.entry("c", TaskState.SUCCESS));
        assertThat(runState(run)).as("only the scheduler ends runs").isEqualTo(RunState.RUNNING);
        assertThat(marked(run)).isTrue();

        engine.scheduler.runOnce();
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
        assertThat(engine.scheduler.wantsRerun()).as("a run ended: a queued run may start").isTrue();
    }

    @Test
    void aDownstreamThatMustWaitIsLeftToTheSchedulerWhileTheFreedSlotIsRefilled() {
        engine = new EngineHarness(NOW, 1, 32, false);
        DagBuilder b = Dag.builder("fan_in");
        TaskBuilder join = b.task("c", NOOP);
        join.after(b.task("a", NOOP).priorityWeight(10), b.task("b", NOOP));
        engine.register(b.build());
        RunRecord run = trigger("fan_in");
        String runId = run.runId();
        engine.scheduler.runOnce(); // parallelism 1: a queued, b scheduled
        assertThat(engine.states("fan_in", runId)).containsEntry("a", TaskState.QUEUED)
                .containsEntry("b", TaskState.SCHEDULED);

        engine.workerPass(); // runs a and writes it back: c must wait for b; the freed slot goes to b, which runs
        assertThat(engine.states("fan_in", runId)).containsEntry("a", TaskState.SUCCESS)
                .containsEntry("b", TaskState.RUNNING).containsEntry("c", TaskState.NONE);
        assertThat(marked(run)).as("c waits: the scheduler must look").isTrue();

        engine.workerPass(); // writes b back: c's upstream all succeeded, so c is queued and runs at once
        assertThat(engine.states("fan_in", runId)).containsEntry("b", TaskState.SUCCESS)
                .containsEntry("c", TaskState.RUNNING);
        engine.workerPass();
        engine.scheduler.runOnce();
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aWriteBackIsAtomicWithItsFollowUpAndTheSchedulerFinishesWhatItLeft() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("crash");
        b.task("a", NOOP).then(b.task("b", NOOP));
        engine.register(b.build());
        RunRecord run = trigger("crash");
        String runId = run.runId();
        engine.scheduler.runOnce();
        ClaimedTry a = engine.db.taskInstances().claim("w", "h", 10, NOW).get(0);
        TryOutcome success = new TryOutcome(a.id(), a.runPk(), a.tryNumber(), TaskState.SUCCESS, NOW, NOW, null, null,
                null, 0, null, "test", "1");
        MiniScheduler mini = new MiniScheduler(engine.catalog, 32);

        // The process dies after the follow-up moved b to scheduled, before the commit: nothing of the write-back stays.
        FinishFollowUp dying = new FinishFollowUp() {
            @Override
            public Map<Long, Set<String>> tasksToRead(List<Written> written) {
                return mini.tasksToRead(written);
            }

            @Override
            public Plan plan(List<Written> written, List<TaskStateRow> states) {
                return mini.plan(written, states);
            }

            @Override
            public int parallelism() {
                throw new IllegalStateException("the worker died");
            }
        };
        assertThatThrownBy(() -> engine.db.taskInstances().finish(List.of(success), dying, NOW))
                .hasMessageContaining("the worker died");
        assertThat(engine.states("crash", runId)).containsEntry("a", TaskState.RUNNING)
                .containsEntry("b", TaskState.NONE);

        // A write-back that left the decision to the scheduler (as after a crash): the scheduler schedules and queues b.
        FinishFollowUp.Result result = engine.db.taskInstances().finish(List.of(success), FinishFollowUp.NONE, NOW);
        assertThat(result).isEqualTo(new FinishFollowUp.Result(1, 0, 0, true));
        assertThat(engine.states("crash", runId)).containsEntry("a", TaskState.SUCCESS)
                .containsEntry("b", TaskState.NONE);
        engine.scheduler.runOnce();
        assertThat(engine.states("crash", runId)).containsEntry("b", TaskState.QUEUED);
        engine.settle();
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aTryEndingInARunThatIsNoLongerRunningSchedulesNothing() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("ended");
        b.task("a", NOOP).then(b.task("b", NOOP));
        engine.register(b.build());
        RunRecord run = trigger("ended");
        engine.scheduler.runOnce();
        ClaimedTry a = engine.db.taskInstances().claim("w", "h", 10, NOW).get(0);
        assertThat(engine.db.runs().setState(run.id(), RunState.RUNNING, RunState.FAILED, NOW)).isTrue();

        FinishFollowUp.Result result = engine.db.taskInstances().finish(List.of(new TryOutcome(a.id(), a.runPk(),
                a.tryNumber(), TaskState.SUCCESS, NOW, NOW, null, null, null, 0, null, "test", "1")),
                new MiniScheduler(engine.catalog, 32), NOW);
        assertThat(result.scheduled()).isZero();
        assertThat(engine.states("ended", run.runId())).containsEntry("a", TaskState.SUCCESS)
                .containsEntry("b", TaskState.NONE);
    }

    @Test
    void aRePokeOrARetryLeavesTheRunToItsDueTimeAndTheSchedulerStillBringsItBack() {
        engine = new EngineHarness(NOW);
        TestPlugin.FAILURES.put("flaky_once", new AtomicInteger(1));
        DagBuilder b = Dag.builder("waits");
        b.sensor("wait", SensorRef.of("test.condition", Map.of("key", "waits_ready")))
                .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1))
                .then(b.task("after", NOOP));
        b.task("flaky_once", OperatorRef.of("test.flaky", Map.of())).retries(1).retryDelay(Duration.ofMinutes(1));
        engine.register(b.build());
        RunRecord run = trigger("waits");
        String runId = run.runId();
        engine.scheduler.runOnce();
        engine.workerPass();
        assertThat(engine.states("waits", runId)).containsEntry("wait", TaskState.UP_FOR_RESCHEDULE)
                .containsEntry("flaky_once", TaskState.UP_FOR_RETRY);
        assertThat(marked(run)).as("nothing for the scheduler to decide until they are due").isFalse();

        TestPlugin.READY.add("waits_ready");
        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        assertThat(engine.states("waits", runId)).containsOnly(Map.entry("wait", TaskState.SUCCESS),
                Map.entry("after", TaskState.SUCCESS), Map.entry("flaky_once", TaskState.SUCCESS));
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
    }
}
