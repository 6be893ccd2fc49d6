package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.MiniScheduler;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.store.TryOutcome;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The worker's write-back decides the direct downstream of a succeeded task in the same transaction (the mini
 * scheduler), queues it right after, and leaves the scheduler whatever it did not settle; {@link LimitsTest} checks
 * that it queues within the limits.
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
    void aChainRunsOnWorkerPassesAloneAndItsLastWriteBackEndsTheRun() {
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
        engine.workerPass(); // writes c back: a leaf, and nothing of the run is left unfinished
        assertThat(engine.states("chain", runId)).containsOnly(Map.entry("a", TaskState.SUCCESS),
                Map.entry("b", TaskState.SUCCESS), Map.entry("c", TaskState.SUCCESS));
        RunRecord ended = engine.db.runs().find(run.id()).orElseThrow();
        assertThat(ended.state()).as("the write-back ended the run").isEqualTo(RunState.SUCCESS);
        assertThat(ended.endDate()).isNotNull();
        assertThat(marked(run)).as("nothing left for the scheduler").isFalse();
    }

    @Test
    void theWriteBackThatEndsARunRequestsItsCallbacksAndReportsIt() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("called_back").onSuccessCallback(Callback.callable(Recorder.class, "record"));
        b.task("a", NOOP);
        engine.register(b.build());
        RunRecord run = trigger("called_back");
        engine.scheduler.runOnce();
        ClaimedTry a = engine.db.taskInstances().claim("w", "h", 10, 0, NOW).get(0);

        FinishFollowUp.Result result = engine.db.taskInstances().finish(List.of(succeeded(a)),
                new MiniScheduler(engine.catalog, 32), NOW);
        assertThat(result.ended()).containsExactly(new FinishFollowUp.EndedRun("called_back", run.runId(),
                RunState.SUCCESS, engine.db.runs().find(run.id()).orElseThrow().startDate()));
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
        assertThat(engine.db.callbacks().claim("w", 10, NOW, NOW.plusSeconds(60)))
                .as("the run's callback, requested once with its end")
                .extracting(CallbackRequest::runPk, CallbackRequest::tiId, CallbackRequest::event,
                        CallbackRequest::state, CallbackRequest::error)
                .containsExactly(tuple(run.id(), null, Callbacks.Event.ON_SUCCESS_CALLBACK, "success", "success"));
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
        ClaimedTry a = engine.db.taskInstances().claim("w", "h", 10, 0, NOW).get(0);
        TryOutcome success = succeeded(a);
        MiniScheduler mini = new MiniScheduler(engine.catalog, 32);

        // The process dies after the follow-up decided to schedule b, before the commit: nothing of the write-back
        // stays.
        FinishFollowUp dying = interrupted(mini, () -> { }, () -> {
            throw new IllegalStateException("the worker died");
        });
        assertThatThrownBy(() -> engine.db.taskInstances().finish(List.of(success), dying, NOW))
                .hasMessageContaining("the worker died");
        assertThat(engine.states("crash", runId)).containsEntry("a", TaskState.RUNNING)
                .containsEntry("b", TaskState.NONE);

        // A write-back that left the decision to the scheduler (as after a crash): the scheduler schedules and queues b.
        FinishFollowUp.Result result = engine.db.taskInstances().finish(List.of(success), FinishFollowUp.NONE, NOW);
        assertThat(result.written()).extracting(FinishFollowUp.Written::taskId, FinishFollowUp.Written::state)
                .containsExactly(tuple("a", TaskState.SUCCESS));
        assertThat(result).isEqualTo(new FinishFollowUp.Result(result.written(), 0, 0, true, List.of()));
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
        ClaimedTry a = engine.db.taskInstances().claim("w", "h", 10, 0, NOW).get(0);
        assertThat(engine.db.runs().setState(run.id(), RunState.RUNNING, RunState.FAILED, NOW)).isTrue();

        FinishFollowUp.Result result = engine.db.taskInstances().finish(List.of(succeeded(a)),
                new MiniScheduler(engine.catalog, 32), NOW);
        assertThat(result.scheduled()).isZero();
        assertThat(engine.states("ended", run.runId())).containsEntry("a", TaskState.SUCCESS)
                .containsEntry("b", TaskState.NONE);
    }

    @Test
    void aRePokeOrARetryLeavesTheRunToItsDueTimeAndIsStillBroughtBack() {
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

    /**
     * The mini scheduler, with something done before it plans and after it decided (in the transaction, before the
     * store schedules what it decided).
     */
    private static FinishFollowUp interrupted(MiniScheduler mini, Runnable beforePlan, Runnable afterPlan) {
        return new FinishFollowUp() {
            @Override
            public Map<Long, Set<String>> tasksToRead(List<Written> written) {
                return mini.tasksToRead(written);
            }

            @Override
            public Plan plan(List<Written> written, List<TaskStateRow> states) {
                beforePlan.run();
                Plan plan = mini.plan(written, states);
                afterPlan.run();
                return plan;
            }

            @Override
            public int parallelism() {
                return mini.parallelism();
            }

            @Override
            public Map<Long, RunEnd> runEnds(List<RunRecord> runs, List<TaskStateRow> states) {
                return mini.runEnds(runs, states);
            }
        };
    }

    private static TryOutcome succeeded(long id, long runPk, int tryNumber) {
        return new TryOutcome(id, runPk, tryNumber, TaskState.SUCCESS, NOW, NOW, null, null, null, 0, null, "test", "1");
    }

    private static TryOutcome succeeded(ClaimedTry c) {
        return succeeded(c.id(), c.runPk(), c.tryNumber());
    }

    private TryOutcome succeeded(RunRecord run, String taskId) {
        TaskInstanceRecord ti = engine.ti(run.dagId(), run.runId(), taskId);
        return succeeded(ti.id(), ti.runPk(), ti.tryNumber());
    }

    @Test
    void aLeafThatSucceedsMarksItsRunOnlyWhenNothingInItIsLeftUnfinished() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("leaves");
        b.task("root", NOOP).then(b.task("x", NOOP), b.task("y", NOOP));
        engine.register(b.build());
        RunRecord run = trigger("leaves");
        engine.scheduler.runOnce();
        engine.workerPass(); // root, then x and y queued by the write-back and claimed
        assertThat(engine.states("leaves", run.runId())).containsEntry("x", TaskState.RUNNING)
                .containsEntry("y", TaskState.RUNNING);
        MiniScheduler mini = new MiniScheduler(engine.catalog, 32);
        engine.db.taskInstances().finish(List.of(succeeded(run, "x")), mini, NOW);
        assertThat(marked(run)).as("y still runs: the run cannot have ended").isFalse();
        assertThat(runState(run)).isEqualTo(RunState.RUNNING);
        engine.db.taskInstances().finish(List.of(succeeded(run, "y")), mini, NOW);
        assertThat(runState(run)).as("every task instance finished: the write-back ended the run")
                .isEqualTo(RunState.SUCCESS);
    }

    @Test
    void twoWriteBacksFinishingARunsLastTasksAtOnceStillEndIt() throws Exception {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("last_two");
        b.task("a", NOOP);
        b.task("b", NOOP);
        engine.register(b.build());
        RunRecord run = trigger("last_two");
        engine.scheduler.runOnce();
        List<ClaimedTry> claimed = engine.db.taskInstances().claim("w", "h", 10, 0, NOW);
        assertThat(claimed).hasSize(2);
        MiniScheduler mini = new MiniScheduler(engine.catalog, 32);
        // Both transactions have written their outcome before either looks at what is left unfinished.
        CyclicBarrier bothWritten = new CyclicBarrier(2);
        FinishFollowUp meeting = interrupted(mini, () -> {
            try {
                bothWritten.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> { });
        try (ExecutorService twoWorkers = Executors.newFixedThreadPool(2)) {
            Future<FinishFollowUp.Result> first = twoWorkers.submit(() ->
                    engine.db.taskInstances().finish(List.of(succeeded(claimed.get(0))), meeting, NOW));
            Future<FinishFollowUp.Result> second = twoWorkers.submit(() ->
                    engine.db.taskInstances().finish(List.of(succeeded(claimed.get(1))), meeting, NOW));
            assertThat(List.of(first.get(20, TimeUnit.SECONDS).ended().size(),
                    second.get(20, TimeUnit.SECONDS).ended().size()))
                    .as("exactly one of them saw the other's outcome, and ended the run").containsExactlyInAnyOrder(1, 0);
        }
        assertThat(runState(run)).isEqualTo(RunState.SUCCESS);
    }
}
