package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sensor that declares the file it waits for is poked as soon as the file appears, without waiting for its
 * poke interval: the manual clock never moves, so only the file-system event can make it poke again.
 */
class FileWakeTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration GENEROUS = Duration.ofSeconds(30);
    private EngineHarness engine;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord start(String dagId, Path file, SensorMode mode) {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder(dagId);
        var wait = b.sensor("wait", SensorRef.of("test.file", Map.of("path", file.toString())))
                .mode(mode).pokeInterval(Duration.ofMinutes(1));
        wait.then(b.task("after", OperatorRef.of("test.noop", Map.of())));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
        engine.settle();
        return run;
    }

    private TaskInstanceRecord waitTask(RunRecord run) {
        return engine.ti(run.dagId(), run.runId(), "wait");
    }

    /** Runs engine passes until {@code done}, for at most {@link #GENEROUS} of real time. */
    private void settleUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("woken within %s", GENEROUS).isLessThan(deadline);
            Thread.sleep(20);
            engine.settle();
        }
    }

    @Test
    void aFileCreatedInADirectoryThatDidNotExistWakesAWaitingRescheduleModeSensor() throws Exception {
        Path file = dir.resolve("supermarket1").resolve("data.csv");
        RunRecord run = start("file_wakes_reschedule", file, SensorMode.RESCHEDULE);
        assertThat(waitTask(run).state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        assertThat(waitTask(run).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(engine.files.watchedTries()).isEqualTo(1);

        Files.createDirectories(file.getParent());
        Files.writeString(file, "1,2,3\n");
        settleUntil(() -> engine.states(run.dagId(), run.runId()).get("after") == TaskState.SUCCESS);

        assertThat(engine.clock.instant()).isEqualTo(NOW);
        TaskInstanceRecord wait = waitTask(run);
        assertThat(wait.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(wait.tryNumber()).isEqualTo(1);
        assertThat(wait.pokeCount()).isEqualTo(2);
        assertThat(engine.files.watchedTries()).isZero();
        assertThat(engine.files.watchedDirectories()).isZero();
    }

    @Test
    void aFileCreatedWakesAWaitingPokeModeSensorThatHoldsItsSlot() throws Exception {
        Path file = dir.resolve("data.csv");
        RunRecord run = start("file_wakes_poke", file, SensorMode.POKE);
        assertThat(waitTask(run).state()).isEqualTo(TaskState.RUNNING);

        Files.writeString(file, "1,2,3\n");
        settleUntil(() -> engine.states(run.dagId(), run.runId()).get("after") == TaskState.SUCCESS);

        assertThat(engine.clock.instant()).isEqualTo(NOW);
        assertThat(waitTask(run).state()).isEqualTo(TaskState.SUCCESS);
        assertThat(engine.files.watchedTries()).isZero();
    }

    @Test
    void onlyTheSensorWhoseFileAppearedIsWokenAmongSensorsSharingADirectory() throws Exception {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("file_shared_directory");
        for (String name : new String[]{"a", "b"}) {
            b.sensor("wait_" + name, SensorRef.of("test.file", Map.of("path", dir.resolve(name + ".csv").toString())))
                    .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1));
        }
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("file_shared_directory", null, null, null,
                Map.of(), null, null));
        engine.settle();
        assertThat(engine.files.watchedTries()).isEqualTo(2);
        assertThat(engine.files.watchedDirectories()).isEqualTo(1);

        // Events of one directory are handled in order: once b.csv has woken wait_b, a.tmp has been seen too.
        Files.writeString(dir.resolve("a.tmp"), "x\n");
        Files.writeString(dir.resolve("b.csv"), "x\n");
        settleUntil(() -> engine.states(run.dagId(), run.runId()).get("wait_b") == TaskState.SUCCESS);

        TaskInstanceRecord a = engine.ti(run.dagId(), run.runId(), "wait_a");
        assertThat(a.state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        assertThat(a.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(engine.files.watchedTries()).isEqualTo(1);
    }
}
