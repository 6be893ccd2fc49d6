package dev.weft.examples;

import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.BundledDagFiles;
import dev.weft.engine.datasets.DatasetFeeds;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.runs.RecursiveClear;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled dataset DAG files on the data generator's upload: supermarket 1's upload starts its processing without a
 * sensor, the processed data starts the metrics, and a recursive clear of the processing re-runs the same metrics run.
 */
class DatasetExampleTest {
    private static final String PROCESS = "dataset_supermarket_1_yaml";
    private static final String METRICS = "dataset_create_metrics_yaml";
    @TempDir
    Path dataRoot;
    private EngineHarness engine;
    private DatasetFeeds feeds;

    @BeforeEach
    void start() {
        engine = new EngineHarness(Instant.now());
        BundledDagFiles.register(engine.registry, getClass().getClassLoader(), "dev/weft/examples/dag-files",
                Map.of("WEFT_DATA_DIR", dataRoot.toString()), "examples");
        assertThat(engine.registry.importErrors()).isEmpty();
        Datasets datasets = new Datasets(engine.db.datasets(), engine.db.dags(), engine.db.runs(), Wakeups.NONE,
                engine.clock);
        feeds = new DatasetFeeds(engine.db.dags(), datasets, engine.files, engine.clock, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        feeds.close();
        engine.close();
    }

    private long uploads() {
        return engine.db.datasets().countEvents(new DatasetStore.EventFilter(
                engine.db.datasets().find("example://supermarket1/upload").orElseThrow().id(), null, null, null, null));
    }

    @Test
    void theUploadStartsTheProcessingWhoseOutletStartsTheMetricsAndARecursiveClearRerunsThem() throws Exception {
        SupermarketData.write(new SupermarketData.Request(1, LocalDate.of(2026, 11, 24), 2, false, dataRoot));
        feeds.poll();
        assertThat(uploads()).as("no _SUCCESS yet").isZero();
        SupermarketData.write(new SupermarketData.Request(1, LocalDate.of(2026, 11, 24), 2, true, dataRoot));
        feeds.poll();
        assertThat(uploads()).isEqualTo(1);
        engine.settle();

        RunRecord process = engine.runsOf(PROCESS).get(0);
        assertThat(process.runType()).isEqualTo(RunType.DATASET_TRIGGERED);
        assertThat(process.state()).isEqualTo(RunState.SUCCESS);
        assertThat(dataRoot.resolve("processed/supermarket1.csv")).exists();
        RunRecord metrics = engine.runsOf(METRICS).get(0);
        assertThat(metrics.state()).isEqualTo(RunState.SUCCESS);

        // The supermarket's data was wrong: process it again, its metrics with it.
        Files.writeString(dataRoot.resolve("raw/supermarket1/data-01.csv"), "corrected\n");
        RecursiveClear.Plan plan = engine.runs.clearRecursively(new RunService.ClearRequest(PROCESS,
                List.of("process_supermarket_1"), null, null, process.runId(), false, false, false, false, false,
                false, true, false), RecursiveClear.DEFAULT_DEPTH);
        assertThat(plan.affected()).extracting(a -> a.taskInstance().taskId() + " " + a.reachedBy()).containsExactly(
                "process_supermarket_1 null", "compute_differences dataset", "update_dashboard dataset",
                "notify_new_data dataset");
        engine.settle();
        assertThat(engine.runsOf(METRICS)).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(metrics.runId());
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
        });
        assertThat(engine.ti(METRICS, metrics.runId(), "notify_new_data").tryNumber()).isEqualTo(2);
        assertThat(engine.runsOf(PROCESS)).hasSize(1);
    }
}
