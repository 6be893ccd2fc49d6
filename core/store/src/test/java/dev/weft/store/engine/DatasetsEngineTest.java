package dev.weft.store.engine;

import dev.weft.engine.Wakeups;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.Scheduler;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Dataset events from task outlets and from outside, and the runs that consume them exactly once. */
class DatasetsEngineTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SALES = "s3://shop/sales";
    private static final String STOCK = "s3://shop/stock";
    private EngineHarness engine;
    private Datasets datasets;

    @BeforeEach
    void start() {
        engine = new EngineHarness(NOW, Duration.ofMillis(1));
        datasets = new Datasets(engine.db.datasets(), engine.db.dags(), engine.db.runs(), Wakeups.NONE,
                engine.clock);
        DagBuilder producer = Dag.builder("producer");
        producer.task("extract", OperatorRef.of("test.noop", Map.of())).outlets(SALES)
                .then(producer.task("load", OperatorRef.of("test.noop", Map.of())).outlets(STOCK));
        producer.task("broken", OperatorRef.of("test.fail", Map.of())).outlets(STOCK);
        engine.register(producer.build());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private void consumer(String dagId, int maxActiveRuns, String... uris) {
        DagBuilder b = Dag.builder(dagId).scheduleOnDatasets(uris).maxActiveRuns(maxActiveRuns);
        b.task("report", OperatorRef.of("test.noop", Map.of()));
        engine.register(b.build());
    }

    private void emit(String uri, String dedupKey) {
        engine.clock.advance(Duration.ofMillis(1));
        datasets.emit(uri, dedupKey == null ? Map.of() : Map.of(Datasets.DEDUP_KEY, dedupKey)).orElseThrow();
    }

    private List<DatasetStore.EventRecord> consumed(RunRecord run) {
        return engine.db.datasets().consumedBy(run.id());
    }

    @Test
    void theRunAnEventCreatesStartsInThePassThatCreatesIt() {
        consumer("report_sales", 16, SALES);
        emit(SALES, null);
        // Time moves on during a pass, as it does on a real clock: the run is dated after the pass began.
        Clock running = new Clock() {
            @Override
            public Instant instant() {
                return engine.clock.advance(Duration.ofMillis(1));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        engine.scheduler(engine.db.taskInstances(), running).runOnce();

        RunRecord run = engine.runsOf("report_sales").get(0);
        assertThat(run.state()).isEqualTo(RunState.RUNNING);
        assertThat(engine.states("report_sales", run.runId())).containsEntry("report", TaskState.QUEUED);
    }

    @Test
    void aSuccessfulTryUpdatesItsOutletsAndStartsTheDagScheduledOnThem() {
        consumer("report_sales", 16, SALES);
        engine.runs.trigger(new RunService.Trigger("producer", "p1", null, null, Map.of(), null, null));
        engine.settle();

        List<RunRecord> runs = engine.runsOf("report_sales");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.runType()).isEqualTo(RunType.DATASET_TRIGGERED);
            assertThat(run.runId()).startsWith("dataset_triggered__2026-11-24T10:00:00");
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(run.externalTrigger()).isFalse();
        });
        assertThat(consumed(runs.get(0))).singleElement().satisfies(e -> {
            assertThat(e.datasetUri()).isEqualTo(SALES);
            assertThat(e.sourceDagId()).isEqualTo("producer");
            assertThat(e.sourceTaskId()).isEqualTo("extract");
            assertThat(e.sourceRunId()).isEqualTo("p1");
            assertThat(e.sourceTry()).isEqualTo(1);
        });
        // The failed task's outlet got no event; the successful one's did (nobody consumes it).
        assertThat(engine.db.datasets().events(new DatasetStore.EventFilter(null, "producer", null, null, null),
                false, 10, 0)).extracting(DatasetStore.EventRecord::sourceTaskId).containsExactly("extract", "load");
        assertThat(engine.db.datasets().runsConsumingEventsOf("producer", "extract", "p1"))
                .extracting(DatasetStore.RunRef::dagId, DatasetStore.RunRef::runId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("report_sales", runs.get(0).runId()));
        assertThat(engine.db.datasets().runsConsumingEventsOf("producer", "load", "p1")).isEmpty();
    }

    @Test
    void aDagOnTwoDatasetsRunsWhenBothWereUpdated() {
        consumer("both", 16, SALES, STOCK);
        emit(SALES, null);
        emit(SALES, null);
        engine.settle();
        assertThat(engine.runsOf("both")).isEmpty();
        assertThat(datasets.queued("both", null, null)).hasSize(2);

        emit(STOCK, null);
        engine.settle();
        assertThat(engine.runsOf("both")).singleElement()
                .satisfies(run -> assertThat(consumed(run)).extracting(DatasetStore.EventRecord::datasetUri)
                        .containsExactly(SALES, SALES, STOCK));
        assertThat(datasets.queued("both", null, null)).isEmpty();
    }

    @Test
    void eventsThatArriveWhileTheOnlyRunIsActiveWaitForTheNextRun() {
        consumer("one_at_a_time", 1, SALES);
        emit(SALES, null);
        engine.scheduler.runOnce(); // the run is created and started; its task waits for the worker
        emit(SALES, null);
        emit(SALES, null);
        engine.scheduler.runOnce();
        assertThat(engine.runsOf("one_at_a_time")).hasSize(1);
        assertThat(datasets.queued("one_at_a_time", SALES, null)).hasSize(2);

        engine.settle();
        List<RunRecord> runs = engine.runsOf("one_at_a_time");
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
        assertThat(consumed(runs.get(0))).hasSize(1);
        assertThat(consumed(runs.get(1))).hasSize(2);
        assertThat(datasets.queued(null, null, null)).isEmpty();
    }

    @Test
    void summariesCountEventsAndSayWhatEachConsumersNextRunWaitsFor() {
        consumer("one_at_a_time", 1, SALES);
        consumer("both", 16, SALES, STOCK);
        emit(SALES, null);
        engine.scheduler.runOnce(); // one_at_a_time's only run starts; both waits for STOCK
        emit(SALES, null);
        emit(SALES, null);
        engine.scheduler.runOnce();

        long sales = engine.db.datasets().find(SALES).orElseThrow().id();
        long stock = engine.db.datasets().find(STOCK).orElseThrow().id();
        Instant newest = engine.db.datasets().events(new DatasetStore.EventFilter(sales, null, null, null, null), true,
                1, 0).get(0).timestamp();
        assertThat(datasets.eventSummaries(List.of(sales, stock))).containsOnlyKeys(sales)
                .hasEntrySatisfying(sales, s -> {
                    assertThat(s.events()).isEqualTo(3);
                    assertThat(s.lastEvent()).isEqualTo(newest);
                });

        List<Datasets.Consumer> consumers = datasets.consumers(List.of("one_at_a_time", "both", "not_registered"));
        assertThat(consumers).extracting(Datasets.Consumer::dagId).containsExactly("one_at_a_time", "both");
        assertThat(consumers.get(0)).satisfies(c -> {
            assertThat(c.queued()).singleElement().satisfies(q -> {
                assertThat(q.datasetUri()).isEqualTo(SALES);
                assertThat(q.events()).isEqualTo(2);
            });
            assertThat(c.waitingFor()).isEmpty();
            assertThat(c.atMaxActiveRuns()).isTrue();
        });
        assertThat(consumers.get(1)).satisfies(c -> {
            assertThat(c.queued()).extracting(DatasetStore.QueueSummary::events).containsExactly(3L);
            assertThat(c.waitingFor()).containsExactly(STOCK);
            assertThat(c.atMaxActiveRuns()).isFalse();
        });
    }

    @Test
    void aDatasetTriggeredRunsTemplatesSeeItsTriggeringEvents() {
        DagBuilder b = Dag.builder("echo_events").scheduleOnDatasets(SALES);
        b.task("say", OperatorRef.of("test.echo", Map.of("text", "{{ triggering_dataset_events['" + SALES
                + "'] | length }} from {{ triggering_dataset_events['" + SALES + "'][0].extra.file }}")));
        engine.register(b.build());
        datasets.emit(SALES, Map.of("file", "sales-1.csv")).orElseThrow();
        engine.clock.advance(Duration.ofMillis(1));
        datasets.emit(SALES, Map.of("file", "sales-2.csv")).orElseThrow();
        engine.settle();

        RunRecord run = engine.runsOf("echo_events").get(0);
        assertThat(engine.log("echo_events", run.runId(), "say", 1)).anySatisfy(line ->
                assertThat(line).contains("echo 2 from sales-1.csv"));
    }

    @Test
    void anIdempotencyKeyRecordsOneEvent() {
        consumer("report_sales", 16, SALES);
        var first = datasets.emit(SALES, Map.of(Datasets.DEDUP_KEY, "upload-7", "rows", 12)).orElseThrow();
        var again = datasets.emit(SALES, Map.of(Datasets.DEDUP_KEY, "upload-7", "rows", 13)).orElseThrow();
        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.event().id()).isEqualTo(first.event().id());
        assertThat(again.event().extra()).containsEntry("rows", 12L);
        assertThat(datasets.queued("report_sales", null, null)).hasSize(1);
        // A key is per dataset: the same key on another dataset is another event.
        assertThat(datasets.emit(STOCK, Map.of(Datasets.DEDUP_KEY, "upload-7")).orElseThrow().created()).isTrue();
    }

    @Test
    void anUnknownDatasetHasNoEventsAndABadUriIsRefused() {
        assertThat(datasets.emit("s3://nobody/names/this", Map.of())).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> datasets.emit("has space", Map.of()))
                .isInstanceOf(Datasets.BadRequestException.class).hasMessageContaining("without spaces");
    }

    @Test
    void twoSchedulersConsumeEveryEventExactlyOnce() throws Exception {
        consumer("many", 3, SALES);
        Scheduler second = engine.scheduler(engine.db.taskInstances());
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<?>> loops = new ArrayList<>();
        for (Scheduler s : List.of(engine.scheduler, second)) {
            loops.add(threads.submit(() -> {
                while (producing.get()) {
                    s.runOnce();
                }
                return null;
            }));
        }
        for (int i = 0; i < 300; i++) {
            emit(SALES, i % 10 == 9 ? "k" + (i - 1) : "k" + i); // every tenth repeats the key before it
        }
        producing.set(false);
        for (Future<?> loop : loops) {
            loop.get();
        }
        threads.shutdown();
        engine.settle();

        List<RunRecord> runs = engine.runsOf("many");
        long consumed = runs.stream().mapToLong(r -> consumed(r).size()).sum();
        long events = engine.db.datasets().countEvents(DatasetStore.EventFilter.ALL);
        assertThat(events).isEqualTo(270);
        assertThat(consumed).isEqualTo(270);
        assertThat(runs.stream().flatMap(r -> consumed(r).stream()).map(DatasetStore.EventRecord::id).distinct())
                .hasSize(270);
        assertThat(datasets.queued(null, null, null)).isEmpty();
        assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
    }
}
