package dev.weft.store.engine;

import dev.weft.engine.Wakeups;
import dev.weft.engine.datasets.DatasetFeeds;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.store.DatasetStore;
import dev.weft.spi.RunType;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DatasetFeed;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A dataset fed by files: one event per complete upload, pushed by the file watcher, never on the marker alone. */
class DatasetFeedsTest {
    private static final String SUPERMARKET = "file:///data/supermarket1";
    @TempDir
    Path folder;
    private EngineHarness engine;
    private DatasetFeeds feeds;

    @BeforeEach
    void start() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        DagBuilder b = Dag.builder("process_supermarket_1").scheduleOnDatasets(SUPERMARKET)
                .datasetFeed(DatasetFeed.whenMarker(SUPERMARKET, folder.toString(), "*.csv", "_SUCCESS"));
        b.task("process", OperatorRef.of("test.noop", Map.of()));
        engine.register(b.build());
        Datasets datasets = new Datasets(engine.db.datasets(), engine.db.dags(), engine.db.runs(), Wakeups.NONE,
                engine.clock);
        // A long poll: what is seen within the test comes from file events.
        feeds = new DatasetFeeds(engine.db.dags(), datasets, engine.files, engine.clock, Duration.ofHours(1));
        feeds.start();
    }

    @AfterEach
    void stop() {
        feeds.close();
        engine.close();
    }

    private long events() {
        return engine.db.datasets().countEvents(DatasetStore.EventFilter.ALL);
    }

    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void theMarkerAfterTheDataFileStartsOneRunAndTheMarkerAloneNone() throws Exception {
        assertThat(within(Duration.ofSeconds(5), () -> feeds.feeds() == 1)).isTrue();
        Files.writeString(folder.resolve("_SUCCESS"), "");
        assertThat(within(Duration.ofMillis(1500), () -> events() > 0)).as("an event on the marker alone").isFalse();
        Files.delete(folder.resolve("_SUCCESS"));

        Files.writeString(folder.resolve("sales.csv"), "id,amount\n1,10\n");
        long marked = System.nanoTime();
        Files.writeString(folder.resolve("_SUCCESS"), "");
        assertThat(within(Duration.ofSeconds(5), () -> events() == 1)).isTrue();
        Duration seen = Duration.ofNanos(System.nanoTime() - marked);
        assertThat(seen).isLessThan(Duration.ofSeconds(1));
        // The same upload seen again (the marker written into, a poll) is no new event.
        Files.writeString(folder.resolve("_SUCCESS"), "done");
        feeds.poll();
        Thread.sleep(300);
        assertThat(events()).isEqualTo(1);
        DatasetStore.EventRecord event = engine.db.datasets().events(DatasetStore.EventFilter.ALL, false, 1, 0).get(0);
        assertThat(event.extra()).containsEntry("files", java.util.List.of("sales.csv"));

        engine.settle();
        assertThat(engine.runsOf("process_supermarket_1")).singleElement()
                .satisfies(r -> assertThat(r.runType()).isEqualTo(RunType.DATASET_TRIGGERED));

        // A second upload is a second event.
        Files.delete(folder.resolve("_SUCCESS"));
        Files.writeString(folder.resolve("sales-2.csv"), "id,amount\n2,20\n");
        Files.writeString(folder.resolve("_SUCCESS"), "");
        assertThat(within(Duration.ofSeconds(5), () -> events() == 2)).isTrue();
    }
}
