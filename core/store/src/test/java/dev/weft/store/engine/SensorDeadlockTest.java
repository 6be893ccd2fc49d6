package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
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

    private Instant crossDagDeadlockSince(String resource) {
        return engine.db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT since FROM cross_dag_sensor_deadlock WHERE resource = :r")
                .bind("r", resource).mapTo(Instant.class).findOne().orElse(null));
    }

    /**
     * DAGs "first" and "second", each a poke-mode sensor that never succeeds and a task, triggered once, run for
     * seven minutes with the given parallelism and worker slots.
     */
    private void twoPokingDags(int parallelism, int workerSlots) {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"), parallelism, workerSlots, false);
        for (String dagId : new String[] {"first", "second"}) {
            DagBuilder b = Dag.builder(dagId);
            b.sensor("wait", SensorRef.of("test.condition", Map.of("key", "never_arrives"))).mode(SensorMode.POKE)
                    .priorityWeight(10);
            b.task("report", OperatorRef.of("test.noop", Map.of()));
            engine.register(b.build());
            engine.runs.trigger(new RunService.Trigger(dagId, null, null, null, Map.of(), null, null));
        }
        engine.settle();
        runFor(Duration.ofMinutes(7));
    }

    @Test
    void pokingSensorsOfSeveralDagsHoldingAllParallelismAreReported() {
        twoPokingDags(2, 32);

        for (String dagId : new String[] {"first", "second"}) {
            String runId = engine.runsOf(dagId).get(0).runId();
            assertThat(engine.states(dagId, runId)).containsEntry("wait", TaskState.RUNNING)
                    .containsEntry("report", TaskState.SCHEDULED);
            assertThat(deadlockSince(dagId)).as("no DAG is full on its own").isNull();
        }
        assertThat(crossDagDeadlockSince("parallelism")).isNotNull();
        assertThat(engine.db.queries().sensorDeadlocks()).extracting(d -> d.kind() + ":" + d.name())
                .containsExactly("engine:parallelism");
    }

    @Test
    void pokingSensorsOfSeveralDagsHoldingEveryWorkerSlotAreReported() {
        twoPokingDags(32, 2);

        String runId = engine.runsOf("first").get(0).runId();
        assertThat(engine.states("first", runId)).containsEntry("wait", TaskState.RUNNING)
                .containsEntry("report", TaskState.QUEUED);
        assertThat(crossDagDeadlockSince("worker_slots")).isNotNull();
        assertThat(crossDagDeadlockSince("parallelism")).isNull();

        TestPlugin.READY.add("never_arrives");
        try {
            runFor(Duration.ofMinutes(2));
        } finally {
            TestPlugin.READY.remove("never_arrives");
        }
        assertThat(crossDagDeadlockSince("worker_slots")).as("cleared when it ends").isNull();
    }

    @Test
    void aSensorTypeDeclaredAsAPlainTaskPokesAndIsCounted() {
        // As a trigger-dag-run task waiting for completion: a sensor type without settings, so in poke mode.
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        DagBuilder b = Dag.builder("triggering").maxActiveTasks(1);
        b.task("trigger_and_wait", OperatorRef.of("test.condition", Map.of("key", "never_arrives"))).priorityWeight(10);
        b.task("report", OperatorRef.of("test.noop", Map.of()));
        engine.register(b.build());
        engine.runs.trigger(new RunService.Trigger("triggering", null, null, null, Map.of(), null, null));
        engine.settle();
        runFor(Duration.ofMinutes(7));

        String runId = engine.runsOf("triggering").get(0).runId();
        assertThat(engine.states("triggering", runId)).containsEntry("trigger_and_wait", TaskState.RUNNING)
                .containsEntry("report", TaskState.SCHEDULED);
        assertThat(deadlockSince("triggering")).isNotNull();
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
