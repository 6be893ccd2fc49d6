package dev.weft.store.engine;

import dev.weft.engine.Wakeups;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.runs.TaskNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.store.Transactor;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Airflow's clearTaskInstances selection, marking runs and tasks by hand, and the API's list queries. */
class ClearAndMarkTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant DAY1 = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T00:00:00Z");
    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("chain");
        var a = b.task("a", OperatorRef.of("test.noop", Map.of()));
        var f = b.task("f", OperatorRef.of("test.fail", Map.of()));
        var c = b.task("c", OperatorRef.of("test.noop", Map.of()));
        a.then(f).then(c);
        engine.register(b.build());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private RunRecord trigger(String runId, Instant logicalDate) {
        return engine.runs.trigger(new RunService.Trigger("chain", runId, logicalDate, null, Map.of(), null, null));
    }

    private static RunService.ClearRequest request(List<String> taskIds, String runId, boolean onlyFailed,
                                                   boolean up, boolean down, boolean past, boolean future,
                                                   boolean reset, boolean dryRun) {
        return new RunService.ClearRequest("chain", taskIds, null, null, runId, onlyFailed, false, up, down, past,
                future, reset, dryRun);
    }

    private static List<String> ids(List<TaskInstanceRecord> tis) {
        return tis.stream().map(ti -> ti.runId() + "/" + ti.taskId()).toList();
    }

    @Test
    void anEmptyRequestIsADryRunOfFailedTasksOnly() {
        RunRecord r1 = trigger("r1", DAY1);
        engine.settle();
        assertThat(engine.states("chain", "r1")).containsEntry("f", TaskState.FAILED)
                .containsEntry("c", TaskState.UPSTREAM_FAILED);
        List<TaskInstanceRecord> selected = engine.runs.clear(request(null, null, true, false, false, false, false,
                false, true));
        assertThat(ids(selected)).containsExactly("r1/c", "r1/f");
        assertThat(engine.states("chain", "r1")).containsEntry("f", TaskState.FAILED);
        assertThat(engine.db.runs().find(r1.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void withoutResetTheRunStaysFinishedAndWithResetItIsQueued() {
        RunRecord r1 = trigger("r1", DAY1);
        engine.settle();
        engine.runs.clear(request(List.of("f"), "r1", false, false, false, false, false, false, false));
        assertThat(engine.states("chain", "r1")).containsEntry("f", TaskState.NONE).containsEntry("a",
                TaskState.SUCCESS);
        assertThat(engine.db.runs().find(r1.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);

        engine.runs.clear(request(List.of("f"), "r1", false, false, true, false, false, true, false));
        RunRecord after = engine.db.runs().find(r1.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(RunState.QUEUED);
        assertThat(after.clearNumber()).isEqualTo(1);
        assertThat(engine.states("chain", "r1")).containsEntry("c", TaskState.NONE);
    }

    @Test
    void upstreamDownstreamPastAndFutureWidenTheSelection() {
        trigger("r1", DAY1);
        trigger("r2", DAY2);
        engine.settle();
        assertThat(ids(engine.runs.clear(request(List.of("f"), "r2", false, true, false, false, false, false,
                true)))).containsExactly("r2/a", "r2/f");
        assertThat(ids(engine.runs.clear(request(List.of("f"), "r2", false, false, true, true, false, false,
                true)))).containsExactly("r1/c", "r1/f", "r2/c", "r2/f");
        assertThat(ids(engine.runs.clear(request(List.of("a"), "r1", false, false, false, false, true, false,
                true)))).containsExactly("r1/a", "r2/a");
        assertThatThrownBy(() -> engine.runs.clear(request(null, "nope", false, false, false, false, false, false,
                true))).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> engine.runs.clear(new RunService.ClearRequest("chain", null, DAY2, DAY1, null,
                false, false, false, false, false, false, false, true))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void markingARunSuccessFinishesItsTasksAndFailedSkipsTheRest() {
        RunRecord r1 = trigger("r1", DAY1);
        RunRecord marked = engine.runs.markRun("chain", "r1", RunState.SUCCESS);
        assertThat(marked.state()).isEqualTo(RunState.SUCCESS);
        assertThat(marked.endDate()).isEqualTo(NOW);
        assertThat(engine.states("chain", "r1").values()).containsOnly(TaskState.SUCCESS);

        trigger("r2", DAY2);
        assertThat(engine.runs.markRun("chain", "r2", RunState.FAILED).state()).isEqualTo(RunState.FAILED);
        assertThat(engine.states("chain", "r2").values()).containsOnly(TaskState.SKIPPED);

        RunRecord queued = engine.runs.markRun("chain", "r1", RunState.QUEUED);
        assertThat(queued.state()).isEqualTo(RunState.QUEUED);
        assertThat(queued.endDate()).isNull();
        engine.settle();
        assertThat(engine.db.runs().find(r1.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void markingTasksReturnsOnlyThoseThatChange() {
        trigger("r1", DAY1);
        engine.settle();
        var mark = new RunService.MarkTasks("chain", "f", "r1", null, false, true, false, false, TaskState.SUCCESS,
                true);
        assertThat(ids(engine.runs.markTasks(mark))).containsExactly("r1/c", "r1/f");
        assertThat(engine.states("chain", "r1")).containsEntry("f", TaskState.FAILED);
        engine.runs.markTasks(new RunService.MarkTasks("chain", "f", null, DAY1, false, false, false, false,
                TaskState.SUCCESS, false));
        assertThat(engine.ti("chain", "r1", "f").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(engine.ti("chain", "r1", "f").endDate()).isEqualTo(NOW);
        assertThatThrownBy(() -> engine.runs.markTasks(new RunService.MarkTasks("chain", "zz", "r1", null, false,
                false, false, false, TaskState.SUCCESS, true))).isInstanceOf(TaskNotFoundException.class);
    }

    /** Calls {@code target}; {@code after} sees each call with its result before the caller does. */
    @SuppressWarnings("unchecked")
    private static <T> T intercept(Class<T> type, T target, AfterCall after) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                Object result = method.invoke(target, args);
                after.seen(method, result);
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @FunctionalInterface
    private interface AfterCall {
        void seen(Method method, Object result);
    }

    @Test
    void aClearCommittedBetweenTheExaminationsReadAndTheRunsFinishWins() {
        // A failure: the scheduler's examination ends this run (a run whose last task succeeds ends in the worker's
        // write-back, its row locked while it reads; MiniSchedulerTest).
        DagBuilder b = Dag.builder("pair");
        b.task("a", OperatorRef.of("test.noop", Map.of())).then(b.task("b", OperatorRef.of("test.fail", Map.of())));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("pair", "r1", DAY1, null, Map.of(), null, null));
        // The first time the examination reads every task finished, a user clears the run before it ends it.
        AtomicBoolean cleared = new AtomicBoolean();
        TaskInstanceStore racing = intercept(TaskInstanceStore.class, engine.db.taskInstances(), (method, result) -> {
            if (method.getName().equals("statesOf") && !((List<?>) result).isEmpty()
                    && ((List<?>) result).stream().allMatch(r -> ((TaskStateRow) r).state().isFinished())
                    && cleared.compareAndSet(false, true)) {
                engine.runs.clearRun("pair", "r1");
            }
        });

        engine.settle(engine.scheduler(racing));

        assertThat(cleared).isTrue();
        assertThat(engine.states("pair", "r1")).as("the cleared tasks ran again")
                .containsOnly(Map.entry("a", TaskState.SUCCESS), Map.entry("b", TaskState.FAILED));
        assertThat(engine.ti("pair", "r1", "a").tryNumber()).isEqualTo(2);
        assertThat(engine.ti("pair", "r1", "b").tryNumber()).isEqualTo(2);
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aClearThatFailsHalfwayClearsNothing() {
        RunRecord r1 = trigger("r1", DAY1);
        engine.settle();
        Map<String, TaskState> before = engine.states("chain", "r1");
        // The run's re-queue fails after its task instances were reset, as a crash or a dropped connection would.
        Transactor failingRequeue = new Transactor() {
            @Override
            public <T> T inTransaction(java.util.function.Function<Stores, T> work) {
                return engine.db.transactor().inTransaction(tx -> work.apply(new Stores() {
                    @Override
                    public dev.weft.engine.store.RunStore runs() {
                        return intercept(dev.weft.engine.store.RunStore.class, tx.runs(), (method, result) -> {
                            if (method.getName().equals("requeue")) {
                                throw new IllegalStateException("connection lost");
                            }
                        });
                    }

                    @Override
                    public TaskInstanceStore taskInstances() {
                        return tx.taskInstances();
                    }

                    @Override
                    public dev.weft.engine.store.CallbackStore callbacks() {
                        return tx.callbacks();
                    }

                    @Override
                    public dev.weft.engine.store.DatasetStore datasets() {
                        return tx.datasets();
                    }
                }));
            }
        };
        RunService service = new RunService(engine.db.dags(), engine.db.runs(), engine.db.taskInstances(),
                engine.db.datasets(), failingRequeue, engine.catalog, engine.runFactory, Wakeups.NONE, engine.clock);

        assertThatThrownBy(() -> service.clearRun("chain", "r1")).hasMessage("connection lost");

        assertThat(engine.states("chain", "r1")).isEqualTo(before);
        assertThat(engine.db.runs().find(r1.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void deletingARunTakesItsTaskInstances() {
        trigger("r1", DAY1);
        engine.runs.deleteRun("chain", "r1");
        assertThat(engine.db.runs().find("chain", "r1")).isEmpty();
        assertThat(engine.db.taskInstances().find("chain", "r1", "a")).isEmpty();
        assertThatThrownBy(() -> engine.runs.deleteRun("chain", "r1")).isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void reservedRunIdsAreRefusedForManualRuns() {
        assertThatThrownBy(() -> engine.runs.triggerManual(new RunService.Trigger("chain", "scheduled__x", null,
                null, Map.of(), null, null))).hasMessage(
                "A manual DAG run cannot use ID 'scheduled__x' since it is reserved for scheduled runs");
    }

    @Test
    void listQueriesFilterSortPageAndCount() {
        trigger("r1", DAY1);
        trigger("r2", DAY2);
        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        QueryStore q = engine.db.queries();
        var all = new QueryStore.RunFilter(null, null, null, null, null, null);
        var page = q.runs(all, new QueryStore.Paging(1, 1, "execution_date", true));
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(RunRecord::runId).containsExactly("r1");
        var failedOnDay2 = new QueryStore.RunFilter(List.of("chain"), List.of("failed"),
                new QueryStore.Range(DAY2, null), null, null, null);
        assertThat(q.runs(failedOnDay2, new QueryStore.Paging(100, 0, "id", false)).items())
                .extracting(RunRecord::runId).containsExactly("r2");

        var tis = q.taskInstances(new QueryStore.TaskInstanceFilter(List.of("chain"), List.of("r1"), null, null,
                null, null, null, null, null, List.of("failed", "upstream_failed"), null, false), 100, 0);
        assertThat(tis.total()).isEqualTo(2);
        assertThat(ids(tis.items())).containsExactly("r1/c", "r1/f");
        assertThat(q.taskInstances(new QueryStore.TaskInstanceFilter(null, null, null, null, null, null, null, null,
                null, null, null, true), 100, 0).total()).isZero();

        var dags = q.dags(new QueryStore.DagFilter("HAI", null, true, null), new QueryStore.Paging(100, 0,
                "dag_id", false));
        assertThat(dags.items()).extracting(d -> d.dagId()).containsExactly("chain");
        assertThat(q.dags(new QueryStore.DagFilter("c_a", null, true, null), new QueryStore.Paging(100, 0,
                "dag_id", false)).total()).isZero();
        assertThat(q.dags(new QueryStore.DagFilter(null, List.of("nope"), true, null), new QueryStore.Paging(100,
                0, "dag_id", false)).total()).isZero();
    }
}
