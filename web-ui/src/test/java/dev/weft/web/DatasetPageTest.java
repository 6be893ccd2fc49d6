package dev.weft.web;

import dev.weft.engine.datasets.Datasets;
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

    private static Datasets.Consumer consumer(List<DatasetStore.QueueSummary> queued, boolean paused, int active) {
        return new Datasets.Consumer("report", List.of(SALES, STOCK), queued, paused, active, 1);
    }

    private static DatasetStore.QueueSummary queued(String uri, long events) {
        return new DatasetStore.QueueSummary("report", uri, events, AT);
    }

    @Test
    void aConsumerSaysWhatItsNextRunWaitsFor() {
        DatasetPage.ConsumerQueue waiting = DatasetPage.ConsumerQueue.of(consumer(List.of(queued(SALES, 3)), false,
                0), SALES);
        assertThat(waiting.queuedHere()).isEqualTo(3);
        assertThat(waiting.since()).isEqualTo("2026-12-06 16:00:00");
        assertThat(waiting.waitingFor()).extracting(DatasetPage.DatasetLink::uri).containsExactly(STOCK);
        assertThat(waiting.held()).isTrue();
        assertThat(waiting.isClearable()).isTrue();

        DatasetPage.ConsumerQueue full = DatasetPage.ConsumerQueue.of(consumer(List.of(queued(SALES, 2),
                queued(STOCK, 1)), false, 1), SALES);
        assertThat(full.status()).contains("max_active_runs (1) reached");
        assertThat(full.otherQueued()).extracting(DatasetPage.OtherQueued::uri, DatasetPage.OtherQueued::events)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(STOCK, 1L));

        assertThat(DatasetPage.ConsumerQueue.of(consumer(List.of(queued(SALES, 2), queued(STOCK, 1)), true, 0),
                SALES).status()).startsWith("Paused");
        DatasetPage.ConsumerQueue ready = DatasetPage.ConsumerQueue.of(consumer(List.of(queued(SALES, 2),
                queued(STOCK, 1)), false, 0), SALES);
        assertThat(ready.held()).isFalse();

        DatasetPage.ConsumerQueue empty = DatasetPage.ConsumerQueue.of(consumer(List.of(queued(STOCK, 1)), false,
                0), SALES);
        assertThat(empty.queuedHere()).isZero();
        assertThat(empty.isClearable()).isFalse();
        assertThat(empty.since()).isNull();
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
