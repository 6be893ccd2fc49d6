package dev.weft.store.engine;

import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Airflow 2's scheduling semantics, end to end on PostgreSQL with a manual clock (airflow-semantics §5–6). */
class SchedulingTest {
    private static final OperatorRef NOOP = OperatorRef.of("test.noop", Map.of());
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static DagSpec twoTasks(String id, String schedule, Instant start, boolean catchup, int maxActiveRuns) {
        DagBuilder b = Dag.builder(id).schedule(schedule).startDate(start).catchup(catchup).maxActiveRuns(maxActiveRuns);
        b.task("extract", NOOP).then(b.task("load", NOOP));
        return b.build();
    }

    @Test
    void dailyCatchupCreatesOneRunPerMissedIntervalInAirflowsFormat() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        engine.register(twoTasks("daily", "@daily", Instant.parse("2026-11-21T00:00:00Z"), true, 16));
        engine.settle();

        List<RunRecord> runs = engine.runsOf("daily");
        assertThat(runs).extracting(RunRecord::runId).containsExactly(
                "scheduled__2026-11-21T00:00:00+00:00",
                "scheduled__2026-11-22T00:00:00+00:00",
                "scheduled__2026-11-23T00:00:00+00:00");
        assertThat(runs).extracting(RunRecord::logicalDate).containsExactly(
                Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"),
                Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(runs.get(0).dataIntervalEnd()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.runType()).isEqualTo(RunType.SCHEDULED);
            assertThat(r.externalTrigger()).isFalse();
            assertThat(r.state()).isEqualTo(RunState.SUCCESS);
        });
        assertThat(engine.states("daily", runs.get(0).runId())).containsOnly(
                Map.entry("extract", TaskState.SUCCESS), Map.entry("load", TaskState.SUCCESS));

        // Nothing more until the next interval has ended.
        engine.clock.set(Instant.parse("2026-11-24T23:59:59Z"));
        engine.settle();
        assertThat(engine.runsOf("daily")).hasSize(3);
        engine.clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        engine.settle();
        assertThat(engine.runsOf("daily")).hasSize(4).last()
                .extracting(RunRecord::runId).isEqualTo("scheduled__2026-11-24T00:00:00+00:00");
    }

    @Test
    void aCronRunIsCreatedWhenItsIntervalEnds() {
        engine = new EngineHarness(Instant.parse("2026-11-24T15:59:00Z"));
        engine.register(twoTasks("at_four", "0 16 * * *", Instant.parse("2026-11-21T00:00:00Z"), true, 16));
        engine.settle();
        assertThat(engine.runsOf("at_four")).extracting(RunRecord::logicalDate).containsExactly(
                Instant.parse("2026-11-21T16:00:00Z"), Instant.parse("2026-11-22T16:00:00Z"));

        engine.clock.set(Instant.parse("2026-11-24T16:00:00Z"));
        engine.settle();
        RunRecord newest = engine.runsOf("at_four").get(2);
        assertThat(newest.logicalDate()).isEqualTo(Instant.parse("2026-11-23T16:00:00Z"));
        assertThat(newest.dataIntervalEnd()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
    }

    @Test
    void withoutCatchupOnlyTheLatestCompletedIntervalRuns() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        engine.register(twoTasks("no_catchup", "@daily", Instant.parse("2026-11-01T00:00:00Z"), false, 16));
        engine.settle();
        assertThat(engine.runsOf("no_catchup")).extracting(RunRecord::runId)
                .containsExactly("scheduled__2026-11-23T00:00:00+00:00");
    }

    @Test
    void catchupRespectsMaxActiveRuns() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        DagBuilder b = Dag.builder("one_at_a_time").schedule("@daily")
                .startDate(Instant.parse("2026-11-21T00:00:00Z")).maxActiveRuns(1);
        b.sensor("wait", SensorRef.of("test.condition", Map.of("key", "one_at_a_time")))
                .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1));
        engine.register(b.build());
        engine.settle();
        assertThat(engine.runsOf("one_at_a_time")).hasSize(1);
        engine.clock.advance(Duration.ofMinutes(5));
        engine.settle();
        assertThat(engine.runsOf("one_at_a_time")).hasSize(1);

        TestPlugin.READY.add("one_at_a_time");
        for (int i = 0; i < 5; i++) {
            engine.clock.advance(Duration.ofMinutes(1));
            engine.settle();
        }
        assertThat(engine.runsOf("one_at_a_time")).hasSize(3)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
    }

    @Test
    void noRunBeforeTheStartDateOrForAPausedDag() {
        engine = new EngineHarness(Instant.parse("2026-11-24T10:00:00Z"));
        engine.register(twoTasks("future", "@hourly", Instant.parse("2026-12-01T00:00:00Z"), true, 16));
        engine.register(twoTasks("paused", "@hourly", Instant.parse("2026-11-24T00:00:00Z"), true, 16));
        engine.db.dags().setPaused("paused", true);
        engine.settle();
        assertThat(engine.runsOf("future")).isEmpty();
        assertThat(engine.runsOf("paused")).isEmpty();
        engine.db.dags().setPaused("paused", false);
        engine.settle();
        assertThat(engine.runsOf("paused")).hasSize(10);
    }
}
