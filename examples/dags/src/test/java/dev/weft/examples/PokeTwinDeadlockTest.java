package dev.weft.examples;

import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing 6.3's poke-mode twin deadlocks as the notes describe (6.1.2) and is reported; listing 6.3 itself, in
 * reschedule mode, is the cure: with the same data (supermarket 1 only), its supermarket 1 gets through in every run.
 */
class PokeTwinDeadlockTest {
    @TempDir
    Path data;
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private Collection<Map<String, TaskState>> runWithSupermarket1Only(DagSpec dag) throws Exception {
        // Three daily runs are due: twelve sensors.
        engine = new EngineHarness(dag.startDate().plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));
        engine.register(dag);
        engine.db.dags().setPaused(dag.dagId(), false); // the poke twin starts paused, as a user finds it
        engine.settle();
        Path supermarket1 = Files.createDirectories(data.resolve("supermarket1"));
        Files.writeString(supermarket1.resolve("data-01.csv"), "id\n");
        Files.writeString(supermarket1.resolve("_SUCCESS"), "");
        for (int i = 0; i < 14; i++) { // seven minutes: past the harness's five-minute deadlock threshold
            engine.clock.advance(Duration.ofSeconds(30));
            engine.settle();
        }
        return engine.runsOf(dag.dagId()).stream().map(r -> engine.states(dag.dagId(), r.runId())).toList();
    }

    private Object deadlockSince(String dagId) {
        return engine.db.jdbi().withHandle(h -> h.createQuery("SELECT sensor_deadlock_since FROM dag WHERE dag_id = :d")
                .bind("d", dagId).mapTo(java.time.Instant.class).findOne().orElse(null));
    }

    @Test
    void inPokeModeTheSensorsHoldEverySlotAndTheDeadlockIsReported() throws Exception {
        assertThat(SupermarketDags.listing603Poke(data).pausedOnCreation()).isTrue();
        Collection<Map<String, TaskState>> runs = runWithSupermarket1Only(SupermarketDags.listing603Poke(data));
        assertThat(runs).hasSize(3);
        long running = runs.stream().flatMap(s -> s.values().stream()).filter(s -> s == TaskState.RUNNING).count();
        assertThat(running).as("poking sensors in all four slots").isEqualTo(4);
        assertThat(runs).as("supermarket 1's data waits behind them in some run")
                .anyMatch(s -> s.get("process_supermarket_1") != TaskState.SUCCESS);
        assertThat(deadlockSince("listing_6_03_poke")).isNotNull();
    }

    @Test
    void inRescheduleModeSupermarket1GetsThroughInEveryRun() throws Exception {
        Collection<Map<String, TaskState>> runs = runWithSupermarket1Only(SupermarketDags.listing603(data));
        assertThat(runs).hasSize(3).allSatisfy(s -> assertThat(s)
                .containsEntry("process_supermarket_1", TaskState.SUCCESS)
                .containsEntry("wait_for_supermarket_2", TaskState.UP_FOR_RESCHEDULE));
        assertThat(deadlockSince("listing_6_03")).isNull();
    }
}
