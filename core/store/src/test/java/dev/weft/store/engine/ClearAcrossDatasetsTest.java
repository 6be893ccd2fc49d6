package dev.weft.store.engine;

import dev.weft.engine.Wakeups;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.datasets.QueuePlan;
import dev.weft.engine.runs.RecursiveClear;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recursive clear across dataset links on PostgreSQL: a consumer run of a cleared producer's events waits, finished,
 * for the producer's new events, then runs again once, as the same run, on them.
 */
class ClearAcrossDatasetsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SALES = "s3://shop/sales";
    private static final String STOCK = "s3://shop/stock";
    private EngineHarness engine;
    private Datasets datasets;

    @BeforeEach
    void start() {
        engine = new EngineHarness(NOW, Duration.ofMillis(1));
        datasets = new Datasets(engine.db.datasets(), engine.db.dags(), engine.db.runs(), Wakeups.NONE, engine.clock);
        DagBuilder sales = Dag.builder("sales");
        sales.task("process_sales", OperatorRef.of("test.flaky", Map.of())).outlets(SALES);
        DagBuilder stock = Dag.builder("stock");
        stock.task("load_stock", OperatorRef.of("test.flaky", Map.of())).outlets(STOCK);
        engine.register(sales.build(), stock.build());
    }

    @AfterEach
    void stop() {
        TestPlugin.FAILURES.remove("process_sales");
        TestPlugin.FAILURES.remove("load_stock");
        engine.close();
    }

    private void consumer(String dagId, String... uris) {
        DagBuilder b = Dag.builder(dagId).scheduleOnDatasets(uris);
        b.task("compute", OperatorRef.of("test.noop", Map.of()))
                .then(b.task("notify", OperatorRef.of("test.noop", Map.of())));
        engine.register(b.build());
    }

    private void run(String dagId) {
        engine.runs.trigger(new RunService.Trigger(dagId, "r1", null, null, Map.of(), null, null));
    }

    private RunService.ClearRequest clearOf(String dagId, String taskId, boolean dryRun) {
        return new RunService.ClearRequest(dagId, List.of(taskId), null, null, "r1", false, false, false, false,
                false, false, true, dryRun);
    }

    private RecursiveClear.Plan clearRecursively(String dagId, String taskId, boolean dryRun) {
        return engine.runs.clearRecursively(clearOf(dagId, taskId, dryRun), RecursiveClear.DEFAULT_DEPTH);
    }

    /** The next try of the task fails. */
    private static void failNextTry(String taskId) {
        TestPlugin.FAILURES.put(taskId, new AtomicInteger(1));
    }

    private List<DatasetStore.EventRecord> consumed(RunRecord run) {
        return engine.db.datasets().consumedBy(run.id());
    }

    private List<DatasetStore.EventRecord> eventsOf(String dagId) {
        return engine.db.datasets().events(new DatasetStore.EventFilter(null, dagId, null, null, null), false, 10, 0);
    }

    @Test
    void theConsumerRunWaitsForTheProducersNewEventThenRunsOnceMoreAsTheSameRun() {
        consumer("report", SALES);
        run("sales");
        engine.settle();
        RunRecord report = engine.runsOf("report").get(0);
        assertThat(report.state()).isEqualTo(RunState.SUCCESS);

        RecursiveClear.Plan dry = clearRecursively("sales", "process_sales", true);
        assertThat(dry.affected()).extracting(a -> a.taskInstance().dagId() + "/" + a.taskInstance().taskId(),
                RecursiveClear.Affected::reachedBy).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sales/process_sales", null),
                org.assertj.core.groups.Tuple.tuple("report/compute", "dataset"),
                org.assertj.core.groups.Tuple.tuple("report/notify", "dataset"));
        assertThat(engine.states("report", report.runId())).containsValues(TaskState.SUCCESS);

        // The producer's first try after the clear fails: the consumer must not run on the old data meanwhile.
        failNextTry("process_sales");
        clearRecursively("sales", "process_sales", false);
        engine.settle();
        assertThat(engine.ti("sales", "r1", "process_sales").state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.db.runs().find(report.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        assertThat(engine.states("report", report.runId())).containsOnly(Map.entry("compute", TaskState.NONE),
                Map.entry("notify", TaskState.NONE));

        // It succeeds: its new event queues the same consumer run, which consumes it instead of the old one.
        engine.runs.clear(clearOf("sales", "process_sales", false));
        engine.settle();
        assertThat(engine.runsOf("report")).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(report.runId());
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(run.clearNumber()).isEqualTo(report.clearNumber() + 1);
        });
        assertThat(engine.ti("report", report.runId(), "compute").tryNumber()).isEqualTo(2);
        assertThat(engine.ti("report", report.runId(), "notify").tryNumber()).isEqualTo(2);
        List<DatasetStore.EventRecord> events = eventsOf("sales");
        assertThat(events).hasSize(2);
        assertThat(consumed(report)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(events.get(1).id());
            assertThat(e.sourceTry()).isEqualTo(3);
        });
        assertThat(engine.db.datasets().queued(null, null, null)).isEmpty();
        // Released once: the producer's next event is an ordinary one, for a new run.
        engine.runs.clear(clearOf("sales", "process_sales", false));
        engine.settle();
        assertThat(engine.runsOf("report")).hasSize(2);
    }

    /** A DAG scheduled on both datasets ran once, on an event of each producer. */
    private RunRecord consumerOfBothRan() {
        consumer("report_both", SALES, STOCK);
        run("sales");
        run("stock");
        engine.settle();
        return engine.runsOf("report_both").get(0);
    }

    @Test
    void aConsumerOfTwoDatasetsKeepsTheEventOfTheOneNotReproduced() {
        RunRecord report = consumerOfBothRan();
        long stockEvent = eventsOf("stock").get(0).id();

        clearRecursively("sales", "process_sales", false);
        // Up to the producer's new event, before the pass that releases the run: the Datasets page is told that this
        // pass queues the run again, and that a new run would still need an event of each dataset.
        for (int pass = 0; engine.db.datasets().queued("report_both", SALES, null).isEmpty(); pass++) {
            assertThat(pass).as("passes until process_sales recorded its new event").isLessThan(20);
            engine.scheduler.runOnce();
            engine.workerPass();
        }
        assertThat(datasets.consumers(List.of("report_both"))).singleElement().satisfies(c -> {
            assertThat(c.plan().waitingRuns()).singleElement().satisfies(w -> {
                assertThat(w.runPk()).isEqualTo(report.id());
                assertThat(w.released()).isTrue();
            });
            assertThat(c.waitingFor()).containsExactly(SALES, STOCK);
        });
        engine.settle();

        assertThat(engine.runsOf("report_both")).singleElement()
                .satisfies(run -> assertThat(run.clearNumber()).isEqualTo(report.clearNumber() + 1));
        assertThat(engine.ti("report_both", report.runId(), "notify").tryNumber()).isEqualTo(2);
        assertThat(consumed(report)).extracting(DatasetStore.EventRecord::id)
                .containsExactly(stockEvent, eventsOf("sales").get(1).id());
        assertThat(engine.db.datasets().queued(null, null, null)).isEmpty();
    }

    @Test
    void aConsumerReachedFromTwoProducersRunsOnceBothHaveNewEvents() {
        RunRecord report = consumerOfBothRan();

        failNextTry("load_stock");
        clearRecursively("sales", "process_sales", false);
        clearRecursively("stock", "load_stock", false);
        engine.settle();
        // The new sales event is held for the waiting run: no new run takes it, and the run waits for stock.
        assertThat(engine.runsOf("report_both")).singleElement()
                .satisfies(run -> assertThat(run.clearNumber()).isEqualTo(report.clearNumber()));
        assertThat(engine.db.datasets().queued("report_both", SALES, null)).hasSize(1);
        assertThat(engine.states("report_both", report.runId())).containsValues(TaskState.NONE);
        // What the Datasets page is told: a new run would wait for an event of each dataset, the queued sales event
        // being the waiting run's.
        assertThat(datasets.consumers(List.of("report_both"))).singleElement().satisfies(c -> {
            assertThat(c.waitingFor()).containsExactly(SALES, STOCK);
            assertThat(c.plan().waitingRuns()).singleElement().satisfies(w -> {
                assertThat(w.runPk()).isEqualTo(report.id());
                assertThat(w.released()).isFalse();
                assertThat(w.waitsFor()).extracting(QueuePlan.Source::taskId).containsExactly("load_stock");
            });
        });

        engine.runs.clear(clearOf("stock", "load_stock", false));
        engine.settle();
        assertThat(engine.runsOf("report_both")).singleElement()
                .satisfies(run -> assertThat(run.clearNumber()).isEqualTo(report.clearNumber() + 1));
        assertThat(engine.ti("report_both", report.runId(), "compute").tryNumber()).isEqualTo(2);
        assertThat(consumed(report)).extracting(DatasetStore.EventRecord::id)
                .containsExactly(eventsOf("sales").get(1).id(), eventsOf("stock").get(1).id());
        assertThat(engine.db.datasets().queued(null, null, null)).isEmpty();
    }
}
