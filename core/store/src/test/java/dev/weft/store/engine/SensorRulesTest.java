package dev.weft.store.engine;

import dev.weft.engine.executor.Worker;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorBuilder;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's sensor rules (Airflow's BaseSensorOperator, airflow-semantics §1) with a manual clock. */
class SensorRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord start(String dagId, Consumer<SensorBuilder> settings) {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder(dagId);
        SensorBuilder wait = b.sensor("wait", SensorRef.of("test.condition", Map.of("key", dagId + "_never")));
        settings.accept(wait);
        wait.then(b.task("after", OperatorRef.of("test.noop", Map.of())));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
        engine.settle();
        return run;
    }

    private TaskInstanceRecord waitTask(RunRecord run) {
        return engine.ti(run.dagId(), run.runId(), "wait");
    }

    private void advance(Duration total, Duration step) {
        for (Duration t = Duration.ZERO; t.compareTo(total) < 0; t = t.plus(step)) {
            engine.clock.advance(step);
            engine.settle();
        }
    }

    @Test
    void aRePokeWritesItsTaskInstanceTwiceAndNothingElse() {
        RunRecord run = start("reschedules", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1)));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        assertThat(waitTask(run).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        RowWrites writes = RowWrites.install(engine.db.jdbi());
        advance(Duration.ofMinutes(3), Duration.ofMinutes(1));
        // Per re-poke: claimed (up_for_reschedule → running) and written back; no reschedule, log or try row. Besides,
        // per run and not per poke: the scheduler's once-a-minute sweep marks the running run for examination and the
        // examination unmarks it (worker heartbeats, per worker, are not counted).
        assertThat(writes.since()).isEqualTo(Map.of("task_instance", 6L, "dag_run", 6L));
        TaskInstanceRecord ti = waitTask(run);
        assertThat(ti.state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        assertThat(ti.tryNumber()).isEqualTo(1);
        assertThat(ti.pokeCount()).isEqualTo(4);
        assertThat(ti.firstPokeAt()).isEqualTo(NOW);
        assertThat(ti.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void aSensorsMemoLastsFromPokeToPokeThroughTheStore() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("memo");
        b.sensor("wait", SensorRef.of("test.third_poke", Map.of())).mode(SensorMode.RESCHEDULE)
                .pokeInterval(Duration.ofMinutes(1));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("memo", null, null, null, Map.of(), null, null));
        engine.settle();
        advance(Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        advance(Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(waitTask(run).pokeCount()).isEqualTo(3);
    }

    @Test
    void identicalAnswersAreCountedInTheLogAndThePokeHistoryKeepsEveryTry() {
        RunRecord run = start("history", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1)));
        advance(Duration.ofMinutes(3), Duration.ofMinutes(1));
        long id = waitTask(run).id();
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 1)).containsExactly(
                "INFO Not yet (waiting for history_never); next poke at 2026-11-24T10:01:00+00:00",
                "INFO \u2026 the same answer 3 more times, the last at 2026-11-24T10:03:00+00:00");
        assertThat(engine.db.queries().reschedules(id)).containsExactly(new QueryStore.Reschedule(1, 4, NOW,
                NOW.plus(Duration.ofMinutes(3)), NOW.plus(Duration.ofMinutes(4))));

        TestPlugin.READY.add("history_never");
        advance(Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.SUCCESS);
        // The count became a written line before the answer that differs.
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 1)).containsExactly(
                "INFO Not yet (waiting for history_never); next poke at 2026-11-24T10:01:00+00:00",
                "INFO \u2026 the same answer 3 more times, the last at 2026-11-24T10:03:00+00:00",
                "INFO Condition met after 5 poke(s)");
        assertThat(engine.db.queries().reschedules(id)).containsExactly(new QueryStore.Reschedule(1, 4, NOW,
                NOW.plus(Duration.ofMinutes(3)), NOW.plus(Duration.ofMinutes(4))));
        TaskInstanceRecord ti = waitTask(run);
        assertThat(ti.pokeCount()).isEqualTo(5);
        assertThat(ti.firstPokeAt()).isEqualTo(NOW);
    }

    @Test
    void aClearWritesTheCountedAnswersAndDropsThePokeHistory() {
        RunRecord run = start("cleared", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1)));
        advance(Duration.ofMinutes(2), Duration.ofMinutes(1));
        TaskInstanceRecord ti = waitTask(run);
        engine.db.taskInstances().clear(Map.of(ti.id(), 0), engine.clock.instant());
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 1)).containsExactly(
                "INFO Not yet (waiting for cleared_never); next poke at 2026-11-24T10:01:00+00:00",
                "INFO \u2026 the same answer 2 more times, the last at 2026-11-24T10:02:00+00:00");
        assertThat(engine.db.queries().reschedules(ti.id())).isEmpty();
        engine.settle();
        TaskInstanceRecord again = waitTask(run);
        assertThat(again.tryNumber()).isEqualTo(2);
        assertThat(again.firstPokeAt()).as("the timeout counts from the new first poke").isEqualTo(
                engine.clock.instant());
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 2)).containsExactly(
                "INFO Not yet (waiting for cleared_never); next poke at 2026-11-24T10:03:00+00:00");
    }

    @Test
    void aRescheduledSensorTimesOutFromItsFirstPokeAndFailsDespiteRetries() {
        RunRecord run = start("times_out", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1))
                .timeout(Duration.ofMinutes(10)).retries(3));
        advance(Duration.ofMinutes(10), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        advance(Duration.ofMinutes(2), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(waitTask(run).tryNumber()).isEqualTo(1);
        assertThat(engine.states(run.dagId(), run.runId())).containsEntry("after", TaskState.UPSTREAM_FAILED);
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 1)).anyMatch(l -> l.contains("Sensor has timed out"));
    }

    /**
     * A poke-mode try whose poke is under way when its worker stops: the stop cancels it and waits for its thread, and
     * the poke's "not yet" must end the try (written back as cancelled), not put it back among the waiting pokes,
     * which the stop has already failed and which nothing polls any more: it stayed running until the worker was
     * declared lost.
     */
    @Test
    void aPokeUnderWayWhenItsWorkerStopsIsWrittenBackNotLeftRunning() throws Exception {
        engine = new EngineHarness(NOW);
        TestPlugin.POKING.drainPermits();
        TestPlugin.SLOW_POKE_RELEASE.drainPermits();
        DagBuilder b = Dag.builder("slow_poke");
        b.sensor("wait", SensorRef.of("test.slow_poke", Map.of())).mode(SensorMode.POKE)
                .pokeInterval(Duration.ofMinutes(1));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("slow_poke", null, null, null, Map.of(), null,
                null));
        ExecutorService threads = Executors.newFixedThreadPool(1);
        Worker stopping = engine.worker("stopping", 1, threads);
        stopping.register();
        for (int pass = 0; pass < 3 && waitTask(run).state() != TaskState.QUEUED; pass++) {
            engine.scheduler.runOnce();
        }
        stopping.runOnce();
        assertThat(TestPlugin.POKING.tryAcquire(30, TimeUnit.SECONDS)).as("the poke started").isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> stopping.stop(Duration.ofSeconds(30)));
        // The stop cancels every try before it shuts the threads down, then waits for them.
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!threads.isShutdown() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        TestPlugin.SLOW_POKE_RELEASE.release();
        stopped.get(30, TimeUnit.SECONDS);

        assertThat(waitTask(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("slow_poke", run.runId(), "wait", 1))
                .anyMatch(l -> l.contains("Try cancelled: the worker is shutting down"));
    }

    @Test
    void aPokingSensorHoldsItsTryAndTimesOutToo() {
        RunRecord run = start("poke_times_out", s -> s.mode(SensorMode.POKE).pokeInterval(Duration.ofMinutes(1))
                .timeout(Duration.ofMinutes(5)).retries(2));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.RUNNING);
        advance(Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.RUNNING);
        advance(Duration.ofMinutes(2), Duration.ofMinutes(1));
        assertThat(waitTask(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(waitTask(run).tryNumber()).isEqualTo(1);
    }

    @Test
    void softFailSkipsOnTimeoutAndDownstreamFollowsTheTriggerRule() {
        RunRecord run = start("soft", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1))
                .timeout(Duration.ofMinutes(3)).softFail(true));
        advance(Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertThat(engine.states(run.dagId(), run.runId())).containsEntry("wait", TaskState.SKIPPED)
                .containsEntry("after", TaskState.SKIPPED);
    }

    private RunRecord failingPoke(String dagId, String outcome, Consumer<SensorBuilder> settings) {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder(dagId);
        SensorBuilder wait = b.sensor("wait", SensorRef.of("test.poke_fails", Map.of("outcome", outcome)));
        settings.accept(wait);
        wait.then(b.task("after", OperatorRef.of("test.noop", Map.of())));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
        engine.settle();
        return run;
    }

    @Test
    void softFailSkipsAPokeThatFailsForGood() {
        for (String outcome : List.of("failed", "fail_exception")) {
            RunRecord run = failingPoke("soft_" + outcome, outcome, s -> s.softFail(true).retries(2));
            assertThat(engine.states(run.dagId(), run.runId())).as(outcome).containsEntry("wait", TaskState.SKIPPED)
                    .containsEntry("after", TaskState.SKIPPED);
            assertThat(waitTask(run).tryNumber()).as("no retry").isEqualTo(1);
            assertThat(engine.log(run.dagId(), run.runId(), "wait", 1)).as(outcome)
                    .anyMatch(l -> l.startsWith("ERROR Sensor failed:"))
                    .contains("WARN soft_fail is on, so the task is skipped");
            engine.close();
        }
        engine = null;
        RunRecord hard = failingPoke("hard", "failed", s -> s.retries(2));
        assertThat(waitTask(hard).state()).as("without soft_fail it fails, without retries").isEqualTo(TaskState.FAILED);
        assertThat(waitTask(hard).tryNumber()).isEqualTo(1);
    }

    @Test
    void softFailSkipsAnErroringPokeOnlyOnceItsRetriesAreUsed() {
        RunRecord run = failingPoke("soft_error", "error", s -> s.softFail(true).retries(1)
                .retryDelay(Duration.ofMinutes(1)));
        assertThat(waitTask(run).state()).as("a passing fault is retried").isEqualTo(TaskState.UP_FOR_RETRY);
        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        assertThat(waitTask(run).state()).isEqualTo(TaskState.SKIPPED);
        assertThat(waitTask(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log(run.dagId(), run.runId(), "wait", 2))
                .anyMatch(l -> l.startsWith("ERROR Sensor failed: java.lang.IllegalStateException: poke broke"))
                .contains("WARN soft_fail is on, so the task is skipped");
    }

    @Test
    void exponentialBackoffGrowsTheWaitWithJitterUpToMaxWait() {
        RunRecord run = start("backoff", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofSeconds(60))
                .exponentialBackoff(true).maxWait(Duration.ofSeconds(150)));
        List<Long> waits = new ArrayList<>();
        Instant last = NOW;
        for (int i = 0; i < 5; i++) {
            Instant next = waitTask(run).nextAttemptAt();
            waits.add(Duration.between(last, next).toSeconds());
            engine.clock.set(next);
            engine.settle();
            last = next;
        }
        // Airflow B1.18: n-th wait in [base, 2·base − 1] with base = 60·2^(n−2); then capped by max_wait.
        assertThat(waits.get(0)).isBetween(30L, 59L);
        assertThat(waits.get(1)).isBetween(60L, 119L);
        assertThat(waits.get(2)).isBetween(120L, 150L);
        assertThat(waits.subList(3, 5)).containsOnly(150L);
    }

    @Test
    void theSensorSucceedsOnceItsConditionHolds() {
        RunRecord run = start("arrives", s -> s.mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1)));
        TestPlugin.READY.add("arrives_never");
        advance(Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(engine.states(run.dagId(), run.runId())).containsEntry("wait", TaskState.SUCCESS)
                .containsEntry("after", TaskState.SUCCESS);
    }
}
