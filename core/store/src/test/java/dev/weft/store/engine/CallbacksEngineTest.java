package dev.weft.store.engine;

import dev.weft.engine.callbacks.CallbackRunner;
import dev.weft.engine.executor.Worker;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbacks through the real store, worker and scheduler: requested with the outcome or the run's end, run once by the
 * callback runner with the context, their failures logged without touching a state, and run again only after a lease
 * ran out.
 */
class CallbacksEngineTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Callback RECORD = Callback.callable(Recorder.class, "record");
    private EngineHarness engine;

    @BeforeEach
    void reset() {
        Recorder.CALLS.clear();
        TestPlugin.NOTIFIED.clear();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord trigger(String dagId, Map<String, Object> conf) {
        return engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, conf, null, null));
    }

    private long waitingRequests() {
        return engine.db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM callback_request")
                .mapTo(Long.class).one());
    }

    @Test
    void aFailingTaskCallsItsRetryThenItsFailureCallbackOncePerTryWithTheError() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("alerts").onFailureCallback(RECORD);
        b.task("load", OperatorRef.of("test.fail", Map.of())).retries(1).retryDelay(Duration.ofMinutes(1))
                .onRetryCallback(RECORD)
                .onFailureCallback(Callback.notifier("test.record", Map.of(
                                "message", "{{ ti.task_id }} of {{ dag_run.conf.shop }} failed: {{ exception }}",
                                "token", "s3cret-token")),
                        Callback.callable(Recorder.class, "explode"), RECORD);
        engine.register(b.build());
        CallbackRunner callbacks = engine.callbackRunner("worker-1", LEASE);
        RunRecord run = trigger("alerts", Map.of("shop", "amsterdam"));

        engine.settle();
        assertThat(engine.ti("alerts", run.runId(), "load").state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(waitingRequests()).isEqualTo(1);
        callbacks.runOnce();
        assertThat(Recorder.CALLS).containsExactly(
                "on_retry_callback load 1 up_for_retry: java.lang.IllegalStateException: boom");

        engine.clock.advance(Duration.ofMinutes(2));
        engine.settle();
        assertThat(engine.ti("alerts", run.runId(), "load").state()).isEqualTo(TaskState.FAILED);
        callbacks.runOnce();
        callbacks.runOnce(); // nothing is left to run twice

        assertThat(Recorder.CALLS).containsExactly(
                "on_retry_callback load 1 up_for_retry: java.lang.IllegalStateException: boom",
                "on_failure_callback load 2 failed: java.lang.IllegalStateException: boom",
                "on_failure_callback - 0 failed: task_failure");
        assertThat(TestPlugin.NOTIFIED).containsExactly(
                "on_failure_callback 2 failed: load of amsterdam failed: java.lang.IllegalStateException: boom");
        assertThat(waitingRequests()).isZero();
        // The callbacks' lines are in the try's log; the one that broke is logged and changed no state.
        List<String> log = engine.log("alerts", run.runId(), "load", 2);
        assertThat(log).anyMatch(l -> l.contains("Running on_failure_callback test.record"))
                .anyMatch(l -> l.contains("recorded load of amsterdam failed"))
                .anyMatch(l -> l.contains("on_failure_callback dev.weft.store.engine.Recorder::explode failed:"
                        + " java.lang.IllegalStateException: the callback itself broke"))
                .anyMatch(l -> l.contains("on_failure_callback dev.weft.store.engine.Recorder::record done"));
        assertThat(engine.log("alerts", run.runId(), "load", 1)).anyMatch(l -> l.contains("Running on_retry_callback"));
        assertThat(engine.ti("alerts", run.runId(), "load").state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.runsOf("alerts").get(0).state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void successCallsTheSuccessCallbacksOfTheTaskAndTheRun() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("fine").onSuccessCallback(RECORD).onFailureCallback(RECORD);
        b.defaultArgs(d -> d.onSuccessCallback(RECORD).onFailureCallback(RECORD));
        b.task("a", OperatorRef.of("test.noop", Map.of()));
        b.task("b", OperatorRef.of("test.noop", Map.of())).onSuccessCallback();
        engine.register(b.build());
        trigger("fine", Map.of());
        engine.settle();
        engine.callbackRunner("worker-1", LEASE).runOnce();

        assertThat(Recorder.CALLS).containsExactlyInAnyOrder("on_success_callback a 1 success: -",
                "on_success_callback - 0 success: success");
    }

    @Test
    void aRequestWhoseRunnerDiedRunsAgainOnceItsLeaseRanOut() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("once");
        b.task("t", OperatorRef.of("test.fail", Map.of())).onFailureCallback(RECORD);
        engine.register(b.build());
        trigger("once", Map.of());
        engine.settle();
        // A worker claims the request and dies before running it.
        List<CallbackRequest> taken = engine.db.callbacks().claim("dead-worker", 10, engine.clock.instant(),
                engine.clock.instant().plus(LEASE));
        assertThat(taken).hasSize(1).first().satisfies(r -> {
            assertThat(r.event()).isEqualTo(Callbacks.Event.ON_FAILURE_CALLBACK);
            assertThat(r.error()).isEqualTo("java.lang.IllegalStateException: boom");
        });
        CallbackRunner alive = engine.callbackRunner("worker-2", LEASE);

        alive.runOnce();
        assertThat(Recorder.CALLS).isEmpty();
        engine.clock.advance(LEASE.plusSeconds(1));
        alive.runOnce();
        alive.runOnce();
        assertThat(Recorder.CALLS).containsExactly("on_failure_callback t 1 failed: java.lang.IllegalStateException: boom");
        // The dead worker's late "done" removes nothing it no longer holds, and nothing is left.
        engine.db.callbacks().done(taken.get(0).id(), "dead-worker");
        assertThat(waitingRequests()).isZero();
    }

    @Test
    void aTryOfALostWorkerCallsItsRetryCallbackWithTheReason() throws Exception {
        engine = new EngineHarness(NOW);
        ExecutorService dyingThreads = Executors.newFixedThreadPool(1);
        Worker dying = engine.worker("dying", 1, dyingThreads);
        dying.register();
        DagBuilder b = Dag.builder("lost");
        b.task("t", OperatorRef.of("test.first_try_waits", Map.of())).retries(1).onRetryCallback(RECORD);
        engine.register(b.build());
        trigger("lost", Map.of());
        engine.scheduler.runOnce();
        dying.runOnce();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (TestPlugin.FIRST_TRIES.get() != 1 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(TestPlugin.FIRST_TRIES.get()).as("the first try runs").isEqualTo(1);

        // The worker dies before it writes the try back; the scheduler declares it lost.
        dyingThreads.shutdownNow();
        engine.clock.advance(EngineHarness.WORKER_LOST_AFTER.plusSeconds(1));
        engine.scheduler.runOnce();
        engine.callbackRunner("worker-1", LEASE).runOnce();

        assertThat(Recorder.CALLS).containsExactly("on_retry_callback t 1 up_for_retry: worker lost: worker dying on"
                + " localhost stopped sending heartbeats while this try was running");
    }

    @Test
    void aDagWhoseCallbacksCannotRunIsRefusedWhenItLoads() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("typos").onFailureCallback(Callback.notifier("test.recrod", Map.of()));
        b.task("t", OperatorRef.of("test.noop", Map.of()))
                .onFailureCallback(Callback.callable("dev.weft.store.engine.Recorder::recrd"))
                .onRetryCallback(Callback.notifier("test.record", Map.of("message", List.of("not", "text"))));

        assertThat(engine.registry.register(b.build(), getClass().getClassLoader(), "test")).containsExactlyInAnyOrder(
                "task 't': on_failure_callback: callable 'dev.weft.store.engine.Recorder::recrd':"
                        + " dev.weft.store.engine.Recorder needs exactly one public static method recrd(CallbackContext)"
                        + " or recrd(), found 0",
                "DAG 'typos': on_failure_callback: unknown notifier type 'test.recrod'; did you mean test.record?;"
                        + " known: [test.record]",
                "task 't': on_retry_callback: message: expected a string");
    }
}
