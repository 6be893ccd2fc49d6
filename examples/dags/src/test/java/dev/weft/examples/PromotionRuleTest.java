package dev.weft.examples;

import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing 6.3 on the engine: the shell sensors follow the promotion rule, in reschedule mode. */
class PromotionRuleTest {
    private static final String DAG = "listing_6_03";
    @TempDir
    Path data;
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void successAloneKeepsTheSensorWaitingAndDataWithSuccessLetsTheSupermarketThrough() throws Exception {
        DagSpec dag = SupermarketDags.listing603(data);
        // One hour after the first daily interval ended: exactly one run, for the first day.
        engine = new EngineHarness(dag.startDate().plus(Duration.ofDays(1)).plus(Duration.ofHours(1)));
        engine.register(dag);
        engine.settle();

        List<RunRecord> runs = engine.runsOf(DAG);
        assertThat(runs).hasSize(1);
        String runId = runs.get(0).runId();
        assertThat(runId).isEqualTo("scheduled__" + dag.startDate().toString().replace("Z", "+00:00"));
        for (int n = 1; n <= 4; n++) {
            assertThat(engine.states(DAG, runId)).containsEntry("wait_for_supermarket_" + n, TaskState.UP_FOR_RESCHEDULE)
                    .containsEntry("copy_to_raw_supermarket_" + n, TaskState.NONE);
        }

        Path supermarket1 = Files.createDirectories(data.resolve("supermarket1"));
        Files.createFile(supermarket1.resolve("_SUCCESS"));
        pokeAgain();
        assertThat(engine.states(DAG, runId)).as("_SUCCESS alone is not enough")
                .containsEntry("wait_for_supermarket_1", TaskState.UP_FOR_RESCHEDULE)
                .containsEntry("copy_to_raw_supermarket_1", TaskState.NONE);
        assertThat(engine.log(DAG, runId, "wait_for_supermarket_1", 1))
                .contains("INFO Command exited with return code 1");

        Files.writeString(supermarket1.resolve("data-01.csv"), "id,promotion\n1,two for one\n");
        pokeAgain();
        assertThat(engine.states(DAG, runId))
                .containsEntry("wait_for_supermarket_1", TaskState.SUCCESS)
                .containsEntry("copy_to_raw_supermarket_1", TaskState.SUCCESS)
                .containsEntry("process_supermarket_1", TaskState.SUCCESS)
                .containsEntry("wait_for_supermarket_2", TaskState.UP_FOR_RESCHEDULE)
                .containsEntry("create_metrics", TaskState.NONE);
        // Waiting was rescheduling, not retrying: still the first try, after three pokes.
        assertThat(engine.ti(DAG, runId, "wait_for_supermarket_1").tryNumber()).isEqualTo(1);
        assertThat(engine.ti(DAG, runId, "wait_for_supermarket_1").pokeCount()).isEqualTo(3);
        assertThat(engine.runsOf(DAG).get(0).state()).isEqualTo(RunState.RUNNING);

        for (int n = 2; n <= 4; n++) {
            Path dir = Files.createDirectories(data.resolve("supermarket" + n));
            Files.writeString(dir.resolve("data-01.csv"), "id,promotion\n");
            Files.createFile(dir.resolve("_SUCCESS"));
        }
        pokeAgain();
        assertThat(engine.states(DAG, runId)).hasSize(13).allSatisfy((task, state) ->
                assertThat(state).as(task).isEqualTo(TaskState.SUCCESS));
        assertThat(engine.runsOf(DAG).get(0).state()).isEqualTo(RunState.SUCCESS);
    }

    /** The sensors ask again after their poke interval (one minute). */
    private void pokeAgain() {
        engine.clock.advance(SupermarketDags.POKE_INTERVAL);
        engine.settle();
    }
}
