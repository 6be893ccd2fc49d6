package dev.weft.engine.scheduler;

import dev.weft.engine.store.DatasetStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which waiting consumer runs the queued events release, and which events they hold. */
class AwaitingConsumersTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SALES = "s3://shop/sales";
    private static final String STOCK = "s3://shop/stock";

    private static DatasetStore.QueuedEvent queued(long id, String uri, String dag, String task) {
        return new DatasetStore.QueuedEvent("report", id, uri, NOW, dag, dag == null ? null : "r1", task);
    }

    private static DatasetStore.AwaitedEvent consumed(long run, long id, String uri, String dag, String task,
                                                      boolean succeeded) {
        return new DatasetStore.AwaitedEvent(run, id, uri, dag, dag == null ? null : "r1", task, succeeded);
    }

    @Test
    void theNewEventOfTheRerunProducerReplacesItsOldOneAndTheOtherDatasetsEventIsKept() {
        AwaitingConsumers.Plan plan = AwaitingConsumers.plan(
                List.of(queued(10, SALES, "producer", "extract"), queued(11, SALES, null, null)),
                List.of(consumed(7, 1, SALES, "producer", "extract", true), consumed(7, 2, STOCK, "stock", "load", true)));
        assertThat(plan.releases()).containsExactly(new AwaitingConsumers.Release(7, List.of(1L), List.of(10L)));
        assertThat(plan.held()).as("an event posted from outside is for a new run").containsExactly(10L);
    }

    @Test
    void aRunReachedFromTwoProducersWaitsForBothAndHoldsWhatArrivedMeanwhile() {
        List<DatasetStore.AwaitedEvent> consumed = List.of(consumed(7, 1, SALES, "producer", "extract", true),
                consumed(7, 2, STOCK, "stock", "load", false));
        AwaitingConsumers.Plan first = AwaitingConsumers.plan(List.of(queued(10, SALES, "producer", "extract")),
                consumed);
        assertThat(first.releases()).isEmpty();
        assertThat(first.held()).containsExactly(10L);

        AwaitingConsumers.Plan both = AwaitingConsumers.plan(List.of(queued(10, SALES, "producer", "extract"),
                queued(12, STOCK, "stock", "load")), List.of(consumed.get(0), consumed(7, 2, STOCK, "stock", "load",
                true)));
        assertThat(both.releases()).containsExactly(new AwaitingConsumers.Release(7, List.of(1L, 2L),
                List.of(10L, 12L)));
    }

    @Test
    void twoRunsWaitingForTheSameSourceTheNewestTakesItsEvents() {
        AwaitingConsumers.Plan plan = AwaitingConsumers.plan(List.of(queued(10, SALES, "producer", "extract")),
                List.of(consumed(7, 1, SALES, "producer", "extract", true),
                        consumed(9, 3, SALES, "producer", "extract", true)));
        assertThat(plan.releases()).extracting(AwaitingConsumers.Release::runPk).containsExactly(9L);
    }
}
