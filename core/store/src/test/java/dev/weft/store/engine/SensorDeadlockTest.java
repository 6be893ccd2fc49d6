package dev.weft.store.engine;

import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's sensor deadlock (chapter 6): a daily DAG with catchup and few slots whose poke-mode sensors wait for data
 * that never comes holds every slot and starves the other tasks; in reschedule mode nothing starves.
 */
class SensorDeadlockTest {
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private DagSpec promotions(String id, SensorMode mode) {
        DagBuilder b = Dag.builder(id).schedule("@daily").startDate(Instant.parse("2026-11-21T00:00:00Z"))
                .maxActiveTasks(2);
        b.sensor("wait_for_supermarket", SensorRef.of("test.condition", Map.of("key", "never_arrives")))
                .mode(mode).pokeInterval(Duration.ofMinutes(1)).priorityWeight(10);
        b.task("report", OperatorRef.of("test.noop", Map.of()));
        return b.build();
    }

    private Instant deadlockSince(String dagId) {
        return engine.db.jdbi().withHandle(h -> h.createQuery("SELECT sensor_deadlock_since FROM dag WHERE dag_id = :d")
                .bind("d", dagId).mapTo(Instant.class).one());
    }

    private void runFor(Duration total) {
        for (Duration t = Duration.ZERO; t.compareTo(total) < 0; t = t.plusSeconds(30)) {
            engine.clock.advance(Duration.ofSeconds(30));
            engine.settle();
        }
    }

    @Test
    void pokingSensorsHoldEverySlotAndAreReported() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        engine.register(promotions("poking", SensorMode.POKE));
        engine.settle();
        runFor(Duration.ofMinutes(7));

        var runs = engine.runsOf("poking");
        assertThat(runs).hasSize(3);
        long starved = runs.stream().map(r -> engine.states("poking", r.runId()).get("report"))
                .filter(s -> s == TaskState.SCHEDULED).count();
        assertThat(starved).isEqualTo(2);
        assertThat(deadlockSince("poking")).isNotNull();
    }

    @Test
    void rescheduledSensorsFreeTheirSlotsSoNothingStarves() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        engine.register(promotions("rescheduling", SensorMode.RESCHEDULE));
        engine.settle();
        runFor(Duration.ofMinutes(7));

        var runs = engine.runsOf("rescheduling");
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(engine.states("rescheduling", r.runId()))
                .containsEntry("report", TaskState.SUCCESS)
                .containsEntry("wait_for_supermarket", TaskState.UP_FOR_RESCHEDULE));
        assertThat(deadlockSince("rescheduling")).isNull();
    }
}
