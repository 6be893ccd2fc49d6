package dev.weft.web;

import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.datasets.QueuePlan;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetPageTest {
    private static final String SALES = "s3://shop/sales?day=2026-12-06&x=<b>";
    private static final String STOCK = "s3://shop/stock";
    private static final Instant AT = Instant.parse("2026-12-06T16:00:00Z");

    private static final RunRecord WAITING_RUN = new RunRecord(9, "report",
            "dataset_triggered__2026-12-06T16:00:00+00:00", RunType.DATASET_TRIGGERED, AT, AT, AT, RunState.SUCCESS,
            false, Map.of(), null, AT, AT, AT, null, 0, null, null, null, AT, true);
    private long nextEventId = 100;

    /** A consumer of SALES and STOCK with max_active_runs 1, its queue summed up as the store sums it up. */
    private static Datasets.Consumer consumer(List<DatasetStore.QueuedEvent> queue,
                                              List<DatasetStore.AwaitedEvent> awaited, boolean paused, int active) {
        Map<String, List<DatasetStore.QueuedEvent>> byUri = new java.util.TreeMap<>();
        queue.forEach(q -> byUri.computeIfAbsent(q.datasetUri(), k -> new java.util.ArrayList<>()).add(q));
        List<DatasetStore.QueueSummary> summaries = byUri.entrySet().stream().map(e -> new DatasetStore.QueueSummary(
                "report", e.getKey(), e.getValue().size(), AT)).toList();
        return new Datasets.Consumer("report", summaries, paused, active, 1,
                QueuePlan.of(List.of(SALES, STOCK), queue, awaited), Map.of(WAITING_RUN.id(), WAITING_RUN));
    }

    private static Datasets.Consumer consumer(List<DatasetStore.QueuedEvent> queue, boolean paused, int active) {
        return consumer(queue, List.of(), paused, active);
    }

    /** {@code count} events of {@code uri} posted from outside. */
    private List<DatasetStore.QueuedEvent> posted(String uri, int count) {
        List<DatasetStore.QueuedEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new DatasetStore.QueuedEvent("report", nextEventId++, uri, AT, null, null, null));
        }
        return events;
    }

    @SafeVarargs
    private static List<DatasetStore.QueuedEvent> queue(List<DatasetStore.QueuedEvent>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    /** The sales event of producer.extract in run r2, queued after a recursive clear re-ran it. */
    private static DatasetStore.QueuedEvent rerunSales() {
        return new DatasetStore.QueuedEvent("report", 50, SALES, AT, "producer", "r2", "extract");
    }

    /** What the waiting run consumed: producer.extract's old sales event, and stock.load's stock event. */
    private static List<DatasetStore.AwaitedEvent> consumedByWaitingRun(boolean stockLoadSucceeded) {
        return List.of(new DatasetStore.AwaitedEvent(9, 1, SALES, "producer", "r2", "extract", true),
                new DatasetStore.AwaitedEvent(9, 2, STOCK, "stock", "r2", "load", stockLoadSucceeded));
    }

    @Test
    void aConsumerSaysWhatItsNextRunWaitsFor() {
        DatasetPage.ConsumerQueue waiting = DatasetPage.ConsumerQueue.of(consumer(posted(SALES, 3), false, 0),
                SALES);
        assertThat(waiting.queuedHere()).isEqualTo(3);
        assertThat(waiting.since()).isEqualTo("2026-12-06 16:00:00");
        assertThat(waiting.getQueuedNote()).isEqualTo("3 event(s) of this dataset queued since 2026-12-06 16:00:00:"
                + " its next run consumes all of them.");
        assertThat(waiting.waitingFor()).extracting(DatasetPage.DatasetLink::uri).containsExactly(STOCK);
        assertThat(waiting.heldBack()).isTrue();
        assertThat(waiting.isClearable()).isTrue();
        assertThat(waiting.waitingRuns()).isEmpty();

        DatasetPage.ConsumerQueue full = DatasetPage.ConsumerQueue.of(consumer(queue(posted(SALES, 2),
                posted(STOCK, 1)), false, 1), SALES);
        assertThat(full.status()).contains("max_active_runs (1) reached");
        assertThat(full.otherQueued()).extracting(DatasetPage.OtherQueued::uri, DatasetPage.OtherQueued::events)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(STOCK, 1L));

        assertThat(DatasetPage.ConsumerQueue.of(consumer(queue(posted(SALES, 2), posted(STOCK, 1)), true, 0),
                SALES).status()).startsWith("Paused");
        DatasetPage.ConsumerQueue ready = DatasetPage.ConsumerQueue.of(consumer(queue(posted(SALES, 2),
                posted(STOCK, 1)), false, 0), SALES);
        assertThat(ready.heldBack()).isFalse();

        DatasetPage.ConsumerQueue empty = DatasetPage.ConsumerQueue.of(consumer(posted(STOCK, 1), false, 0), SALES);
        assertThat(empty.queuedHere()).isZero();
        assertThat(empty.isClearable()).isFalse();
        assertThat(empty.since()).isNull();
        assertThat(empty.getQueuedNote()).isEqualTo("No event of this dataset is queued.");
    }

    @Test
    void anEventHeldForAWaitingRunIsNotANewRunsAndThePageNamesWhatTheRunWaitsFor() {
        // A stock event posted from outside, and the re-run producer's sales event, held for the run that waits
        // for stock.load to succeed again: a new run has a stock event but still waits for a sales event.
        DatasetPage.ConsumerQueue sales = DatasetPage.ConsumerQueue.of(consumer(queue(List.of(rerunSales()),
                posted(STOCK, 1)), consumedByWaitingRun(false), false, 0), SALES);
        assertThat(sales.waitingFor()).extracting(DatasetPage.DatasetLink::uri).containsExactly(SALES);
        assertThat(sales.status()).isEqualTo("A new run starts when each dataset below has an event that no waiting"
                + " run holds.");
        assertThat(sales.heldBack()).isTrue();
        assertThat(sales.heldHere()).isEqualTo(1);
        assertThat(sales.getQueuedNote()).isEqualTo("1 event(s) of this dataset queued since 2026-12-06 16:00:00,"
                + " held for a waiting run (below).");
        assertThat(sales.waitingRuns()).singleElement().satisfies(w -> {
            assertThat(w.run().runId()).isEqualTo(WAITING_RUN.runId());
            assertThat(w.run().href()).isEqualTo("/dags/report/grid?run_id=dataset_triggered__2026-12-06T16%3A00%3A00"
                    + "%2B00%3A00");
            assertThat(w.status()).isEqualTo("waits for its producers to succeed again (stock / r2 / load): 1 queued"
                    + " event(s) of theirs are held for it.");
        });

        DatasetPage.ConsumerQueue mixed = DatasetPage.ConsumerQueue.of(consumer(queue(List.of(rerunSales()),
                posted(SALES, 2)), consumedByWaitingRun(false), false, 0), SALES);
        assertThat(mixed.getQueuedNote()).isEqualTo("3 event(s) of this dataset queued since 2026-12-06 16:00:00, 1 of"
                + " them held for a waiting run (below): a new run consumes the others.");
        assertThat(mixed.waitingFor()).extracting(DatasetPage.DatasetLink::uri).containsExactly(STOCK);
    }

    @Test
    void aReleasedRunIsQueuedAgainAtTheNextPassAndTakesTheSlotOfANewRun() {
        // stock.load has succeeded again: the next pass queues the waiting run with the new sales event, and the
        // posted events of both datasets wait, as max_active_runs is 1.
        Datasets.Consumer released = consumer(queue(List.of(rerunSales()), posted(SALES, 1), posted(STOCK, 1)),
                consumedByWaitingRun(true), false, 0);
        DatasetPage.ConsumerQueue page = DatasetPage.ConsumerQueue.of(released, SALES);
        assertThat(page.waitingRuns()).singleElement().satisfies(w -> assertThat(w.status())
                .isEqualTo("is queued again at the scheduler's next pass, with the 1 new event(s) of its producers."));
        assertThat(page.waitingFor()).isEmpty();
        assertThat(page.status()).isEqualTo("Waits: max_active_runs (1) reached, 1 run(s) queued or running; the next"
                + " run consumes these events when one ends.");

        Datasets.Consumer paused = consumer(List.of(rerunSales()), consumedByWaitingRun(true), true, 0);
        assertThat(DatasetPage.ConsumerQueue.of(paused, SALES).waitingRuns()).singleElement().satisfies(w ->
                assertThat(w.status()).startsWith("is queued again once the DAG is unpaused"));
    }

    @Test
    void anEventLinksItsSourceAndTheRunsItStartedAndShowsItsDedupKey() {
        var fromTask = new DatasetStore.EventRecord(1, 7, SALES, Map.of(), "shop", "load", "manual__2026+x", -1, 2,
                AT);
        RunRecord run = new RunRecord(9, "report", "dataset_triggered__2026-12-06T16:00:00+00:00",
                RunType.DATASET_TRIGGERED, AT, AT, AT, RunState.SUCCESS, false, Map.of(), null, AT, AT, AT, null, 0,
                null, null, null, AT, false);
        DatasetPage.EventRow row = DatasetPage.EventRow.of(new Datasets.Event(fromTask, List.of(run)));
        assertThat(row.isPosted()).isFalse();
        assertThat(row.sourceHref()).isEqualTo("/dags/shop/grid?run_id=manual__2026%2Bx&task_id=load");
        assertThat(row.extra()).isNull();
        assertThat(row.runs()).singleElement().satisfies(r -> {
            assertThat(r.href()).isEqualTo("/dags/report/grid?run_id=dataset_triggered__2026-12-06T16%3A00%3A00"
                    + "%2B00%3A00");
            assertThat(r.style().label()).isEqualTo("success");
        });

        var posted = new DatasetStore.EventRecord(2, 7, SALES, Map.of("dedup_key", "upload-1", "rows", 12), null,
                null, null, -1, null, AT);
        DatasetPage.EventRow postedRow = DatasetPage.EventRow.of(new Datasets.Event(posted, List.of()));
        assertThat(postedRow.isPosted()).isTrue();
        assertThat(postedRow.sourceHref()).isNull();
        assertThat(postedRow.dedupKey()).isEqualTo("upload-1");
        assertThat(postedRow.extra()).contains("\"rows\" : 12");
    }

    @Test
    void aDatasetsPageTakesItsUriInTheQuery() {
        assertThat(DatasetPage.href(SALES)).isEqualTo("/datasets/detail?uri=s3%3A%2F%2Fshop%2Fsales%3Fday%3D"
                + "2026-12-06%26x%3D%3Cb%3E");
    }

    @Test
    void aBadExtraIsRefusedWithWhatIsWrongAndAnExample() {
        assertThatThrownBy(() -> TriggerForm.jsonObject("{\"rows\": }", "extra", DatasetsResource.EXTRA_EXAMPLE))
                .hasMessageStartingWith("The extra is not valid JSON (line 1, column 10)");
        assertThatThrownBy(() -> TriggerForm.jsonObject("[1]", "extra", DatasetsResource.EXTRA_EXAMPLE))
                .hasMessage("The extra must be a JSON object, such as " + DatasetsResource.EXTRA_EXAMPLE);
    }
}
