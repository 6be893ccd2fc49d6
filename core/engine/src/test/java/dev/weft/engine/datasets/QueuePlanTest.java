package dev.weft.engine.datasets;

import dev.weft.engine.store.DatasetStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a pass does with a consumer's queue: which waiting runs the events release or wait for, and a new run. */
class QueuePlanTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SALES = "s3://shop/sales";
    private static final String STOCK = "s3://shop/stock";
    private static final List<String> BOTH = List.of(SALES, STOCK);

    private static DatasetStore.QueuedEvent queued(long id, String uri, String dag, String task) {
        return new DatasetStore.QueuedEvent("report", id, uri, NOW, dag, dag == null ? null : "r1", task);
    }

    private static DatasetStore.AwaitedEvent consumed(long run, long id, String uri, String dag, String task,
                                                      boolean succeeded) {
        return new DatasetStore.AwaitedEvent(run, id, uri, dag, dag == null ? null : "r1", task, succeeded);
    }

    @Test
    void theNewEventOfTheRerunProducerReplacesItsOldOneAndTheOtherDatasetsEventIsKept() {
        QueuePlan plan = QueuePlan.of(BOTH, List.of(queued(10, SALES, "producer", "extract"),
                queued(11, SALES, null, null)), List.of(consumed(7, 1, SALES, "producer", "extract", true),
                consumed(7, 2, STOCK, "stock", "load", true)));
        assertThat(plan.waitingRuns()).singleElement().satisfies(w -> {
            assertThat(w.runPk()).isEqualTo(7);
            assertThat(w.released()).isTrue();
            assertThat(w.replaced()).containsExactly(1L);
            assertThat(w.heldIds()).containsExactly(10L);
        });
        assertThat(plan.newRunEvents()).as("an event posted from outside is for a new run")
                .extracting(DatasetStore.QueuedEvent::eventId).containsExactly(11L);
        // The released run keeps its stock event; a new run still needs one.
        assertThat(plan.waitingFor()).containsExactly(STOCK);
    }

    @Test
    void aRunReachedFromTwoProducersWaitsForBothAndHoldsWhatArrivedMeanwhile() {
        List<DatasetStore.AwaitedEvent> consumed = List.of(consumed(7, 1, SALES, "producer", "extract", true),
                consumed(7, 2, STOCK, "stock", "load", false));
        QueuePlan first = QueuePlan.of(BOTH, List.of(queued(10, SALES, "producer", "extract")), consumed);
        assertThat(first.waitingRuns()).singleElement().satisfies(w -> {
            assertThat(w.released()).isFalse();
            assertThat(w.waitsFor()).containsExactly(new QueuePlan.Source(STOCK, "stock", "r1", "load"));
            assertThat(w.heldIds()).containsExactly(10L);
        });
        // The held sales event is the waiting run's: a new run waits for an event of each dataset.
        assertThat(first.newRunEvents()).isEmpty();
        assertThat(first.waitingFor()).containsExactly(SALES, STOCK);
        assertThat(first.heldEvents(SALES)).isEqualTo(1);
        assertThat(first.heldEvents(STOCK)).isZero();
        assertThat(first.startsNewRun(16, () -> 0)).isFalse();

        QueuePlan both = QueuePlan.of(BOTH, List.of(queued(10, SALES, "producer", "extract"),
                queued(12, STOCK, "stock", "load")), List.of(consumed.get(0), consumed(7, 2, STOCK, "stock", "load",
                true)));
        assertThat(both.waitingRuns()).singleElement().satisfies(w -> {
            assertThat(w.released()).isTrue();
            assertThat(w.replaced()).containsExactly(1L, 2L);
            assertThat(w.heldIds()).containsExactly(10L, 12L);
        });
    }

    @Test
    void twoRunsWaitingForTheSameSourceTheNewestTakesItsEvents() {
        QueuePlan plan = QueuePlan.of(List.of(SALES), List.of(queued(10, SALES, "producer", "extract")),
                List.of(consumed(7, 1, SALES, "producer", "extract", true),
                        consumed(9, 3, SALES, "producer", "extract", true)));
        assertThat(plan.waitingRuns()).extracting(QueuePlan.WaitingRun::runPk).containsExactly(9L);
    }

    @Test
    void aNewRunStartsOnceEachDatasetHasAnEventNoWaitingRunHoldsAndWithinMaxActiveRuns() {
        List<DatasetStore.QueuedEvent> queue = List.of(queued(10, SALES, "producer", "extract"),
                queued(11, STOCK, null, null), queued(12, "s3://shop/gone", null, null));
        QueuePlan plan = QueuePlan.of(BOTH, queue, List.of());
        assertThat(plan.waitingRuns()).isEmpty();
        assertThat(plan.stale()).extracting(DatasetStore.QueuedEvent::eventId).containsExactly(12L);
        assertThat(plan.newRunEvents()).extracting(DatasetStore.QueuedEvent::eventId).containsExactly(10L, 11L);
        assertThat(plan.waitingFor()).isEmpty();
        assertThat(plan.startsNewRun(1, () -> 0)).isTrue();
        assertThat(plan.startsNewRun(1, () -> 1)).isFalse();
        assertThat(QueuePlan.of(BOTH, queue.subList(0, 1), List.of()).startsNewRun(1, () -> {
            throw new AssertionError("the active runs are not counted while a dataset has no event");
        })).isFalse();
    }

    @Test
    void aReleasedRunTakesItsSlotBeforeANewRun() {
        QueuePlan plan = QueuePlan.of(List.of(SALES), List.of(queued(10, SALES, "producer", "extract"),
                queued(11, SALES, null, null)), List.of(consumed(7, 1, SALES, "producer", "extract", true)));
        assertThat(plan.waitingRuns()).singleElement().satisfies(w -> assertThat(w.released()).isTrue());
        assertThat(plan.waitingFor()).isEmpty();
        assertThat(plan.activeRunsAfter(0)).isEqualTo(1);
        assertThat(plan.startsNewRun(1, () -> 0)).isFalse();
        assertThat(plan.startsNewRun(2, () -> 0)).isTrue();
    }
}
