package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.TriggerRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Trigger rules, retries, timeouts and run states through the real scheduler and worker. */
class TaskLifecycleTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static OperatorRef op(String type) {
        return OperatorRef.of(type, Map.of());
    }

    private RunRecord trigger(String dagId) {
        return engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
    }

    @Test
    void aFailedUpstreamFailsAllSuccessButNotAllDoneAndTheLeavesDecideTheRun() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("rules");
        var fail = b.task("fail", op("test.fail"));
        fail.then(b.task("needs_success", op("test.noop")));
        fail.then(b.task("cleanup", op("test.noop")).triggerRule(TriggerRule.ALL_DONE));
        engine.register(b.build());
        RunRecord run = trigger("rules");
        engine.settle();
        assertThat(engine.states("rules", run.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "fail", TaskState.FAILED, "needs_success", TaskState.UPSTREAM_FAILED, "cleanup", TaskState.SUCCESS));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aSkippedUpstreamSkipsAllSuccessDownstreamAndTheRunSucceeds() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("skips");
        var skip = b.task("skip", op("test.skip"));
        var ok = b.task("ok", op("test.noop"));
        skip.then(b.task("after_skip", op("test.noop"))).then(b.task("further", op("test.noop")));
        b.task("one_success", op("test.noop")).triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS).after(skip, ok);
        engine.register(b.build());
        RunRecord run = trigger("skips");
        engine.settle();
        assertThat(engine.states("skips", run.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "skip", TaskState.SKIPPED, "ok", TaskState.SUCCESS, "after_skip", TaskState.SKIPPED,
                "further", TaskState.SKIPPED, "one_success", TaskState.SUCCESS));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void retriesWaitTheirDelayAndEachTryHasItsOwnLog() {
        engine = new EngineHarness(NOW);
        TestPlugin.FAILURES.put("flaky", new AtomicInteger(2));
        DagBuilder b = Dag.builder("retrying");
        b.task("flaky", op("test.flaky")).retries(2).retryDelay(Duration.ofMinutes(5));
        engine.register(b.build());
        RunRecord run = trigger("retrying");
        engine.settle();
        TaskInstanceRecord ti = engine.ti("retrying", run.runId(), "flaky");
        assertThat(ti.state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(ti.tryNumber()).isEqualTo(1);
        assertThat(ti.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));

        engine.clock.advance(Duration.ofMinutes(4));
        engine.settle();
        assertThat(engine.ti("retrying", run.runId(), "flaky").state()).isEqualTo(TaskState.UP_FOR_RETRY);

        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        assertThat(engine.ti("retrying", run.runId(), "flaky").tryNumber()).isEqualTo(2);
        engine.clock.advance(Duration.ofMinutes(5));
        engine.settle();
        ti = engine.ti("retrying", run.runId(), "flaky");
        assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti.tryNumber()).isEqualTo(3);
        assertThat(engine.log("retrying", run.runId(), "flaky", 1)).anyMatch(l -> l.contains("flaky failure"));
        assertThat(engine.log("retrying", run.runId(), "flaky", 3)).noneMatch(l -> l.contains("flaky failure"));
    }

    @Test
    void aTryThatRunsPastItsExecutionTimeoutIsCancelledAndFails() throws Exception {
        engine = new EngineHarness(NOW, 32, 4, true);
        DagBuilder b = Dag.builder("slow");
        b.task("forever", op("test.wait_for_cancel")).executionTimeout(Duration.ofMinutes(1));
        engine.register(b.build());
        RunRecord run = trigger("slow");
        engine.scheduler.runOnce();
        engine.workerPass();
        assertThat(engine.ti("slow", run.runId(), "forever").state()).isEqualTo(TaskState.RUNNING);

        engine.clock.advance(Duration.ofMinutes(2));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.ti("slow", run.runId(), "forever").state() == TaskState.RUNNING && System.nanoTime() < until) {
            engine.workerPass();
            Thread.sleep(10);
        }
        assertThat(engine.ti("slow", run.runId(), "forever").state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("slow", run.runId(), "forever", 1)).anyMatch(l -> l.contains("execution timeout"));
    }

    @Test
    void aRunPastItsDagrunTimeoutFailsAndItsUnfinishedTasksAreSkipped() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("bounded").dagrunTimeout(Duration.ofMinutes(10));
        b.sensor("wait", dev.weft.spi.dag.SensorRef.of("test.condition", Map.of("key", "bounded_never")))
                .mode(dev.weft.spi.dag.SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1))
                .then(b.task("after", op("test.noop")));
        engine.register(b.build());
        RunRecord run = trigger("bounded");
        engine.settle();
        for (int i = 0; i < 9; i++) {
            engine.clock.advance(Duration.ofMinutes(1));
            engine.settle();
        }
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        engine.clock.advance(Duration.ofMinutes(2));
        engine.settle();
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(engine.states("bounded", run.runId())).containsEntry("wait", TaskState.SKIPPED)
                .containsEntry("after", TaskState.SKIPPED);
    }

    @Test
    void aDagrunTimeoutTakenOutOfTheDagNoLongerEndsItsRuns() {
        engine = new EngineHarness(NOW);
        engine.register(waitingForever(Dag.builder("unbounded").dagrunTimeout(Duration.ofMinutes(10))));
        RunRecord run = trigger("unbounded");
        engine.settle();
        // The DAG's next version has no timeout: the runs it has are not timed out any more.
        engine.register(waitingForever(Dag.builder("unbounded")));
        for (int i = 0; i < 12; i++) {
            engine.clock.advance(Duration.ofMinutes(1));
            engine.settle();
        }
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    private static dev.weft.spi.dag.DagSpec waitingForever(DagBuilder b) {
        b.sensor("wait", dev.weft.spi.dag.SensorRef.of("test.condition", Map.of("key", "unbounded_never")))
                .mode(dev.weft.spi.dag.SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1));
        return b.build();
    }

    @Test
    void olderRunsGoFirstThenTasksWithMoreDownstreamWork() {
        engine = new EngineHarness(NOW, 1, 1, false);
        DagBuilder b = Dag.builder("ordered");
        b.task("lonely", op("test.noop"));
        var head = b.task("head", op("test.noop"));
        head.then(b.task("middle", op("test.noop"))).then(b.task("tail", op("test.noop")));
        engine.register(b.build());
        RunRecord older = engine.runs.trigger(new RunService.Trigger("ordered", "older", NOW.minus(Duration.ofDays(1)),
                null, Map.of(), null, null));
        trigger("ordered");
        engine.scheduler.runOnce();
        // parallelism 1: the one queued task is the older run's, and within it the one with work downstream.
        var queued = engine.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT run_id || '/' || task_id FROM task_instance WHERE state = 'queued'").mapTo(String.class).list());
        assertThat(queued).containsExactly(older.runId() + "/head");
    }

    @Test
    void confReachesTheTaskAndItsLog() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("with_conf");
        b.task("print_conf", op("test.log_conf"));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("with_conf", null, null, null,
                Map.of("supermarket_id", 1L), null, null));
        engine.settle();
        assertThat(engine.log("with_conf", run.runId(), "print_conf", 1))
                .anyMatch(l -> l.contains("conf is {supermarket_id=1}"));
        assertThat(engine.ti("with_conf", run.runId(), "print_conf").output()).isEqualTo("{\"supermarket_id\": 1}");
    }
}
