package dev.weft.store.engine;

import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.runs.RunService.BackfillAction;
import dev.weft.engine.runs.RunService.BackfillRun;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backfill (airflow-semantics B8.12, run by the scheduler as in Airflow 3), on PostgreSQL with a manual clock. */
class BackfillTest {
    private static final OperatorRef NOOP = OperatorRef.of("test.noop", Map.of());
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void stop() {
        TestPlugin.FAILURES.remove("backfill_flaky");
        if (engine != null) {
            engine.close();
        }
    }

    private static DagSpec dag(String id, String schedule, boolean catchup, String secondType) {
        DagBuilder b = Dag.builder(id).schedule(schedule).startDate(Instant.parse("2026-11-01T00:00:00Z"))
                .catchup(catchup);
        b.task("extract", NOOP).then(b.task(secondType.equals("test.flaky") ? "backfill_flaky" : "load",
                OperatorRef.of(secondType, Map.of())));
        return b.build();
    }

    private static RunService.Backfill range(String dagId, String from, String to) {
        return new RunService.Backfill(dagId, Instant.parse(from), Instant.parse(to), false, false, false, null);
    }

    @Test
    void oneBackfillRunPerSchedulePointInTheRangeWhateverCatchupAndPause() {
        engine = new EngineHarness(NOW);
        engine.register(dag("bf", "@daily", false, "test.noop"));
        engine.db.dags().setPaused("bf", true);
        engine.settle();
        assertThat(engine.runsOf("bf")).isEmpty();

        RunService.Backfill request = new RunService.Backfill("bf", Instant.parse("2026-11-10T00:00:00Z"),
                Instant.parse("2026-11-12T00:00:00Z"), false, false, true, Map.of("k", 1));
        List<BackfillRun> plan = engine.runs.backfill(request);
        assertThat(plan).extracting(BackfillRun::runId).containsExactly("backfill__2026-11-10T00:00:00+00:00",
                "backfill__2026-11-11T00:00:00+00:00", "backfill__2026-11-12T00:00:00+00:00");
        assertThat(plan).allSatisfy(r -> {
            assertThat(r.action()).isEqualTo(BackfillAction.CREATED);
            assertThat(r.run()).as("a dry run creates nothing").isNull();
        });
        assertThat(plan.get(0).dataInterval().end()).isEqualTo(Instant.parse("2026-11-11T00:00:00Z"));
        assertThat(engine.runsOf("bf")).isEmpty();

        List<BackfillRun> done = engine.runs.backfill(new RunService.Backfill("bf", request.from(), request.to(),
                false, false, false, Map.of("k", 1)));
        assertThat(done).extracting(BackfillRun::runId).isEqualTo(plan.stream().map(BackfillRun::runId).toList());
        engine.settle();
        List<RunRecord> runs = engine.runsOf("bf");
        assertThat(runs).hasSize(3).allSatisfy(r -> {
            assertThat(r.runType()).isEqualTo(RunType.BACKFILL);
            assertThat(r.externalTrigger()).isFalse();
            assertThat(r.conf()).isEqualTo(Map.of("k", 1L));
            assertThat(r.state()).as("run by the scheduler although the DAG is paused").isEqualTo(RunState.SUCCESS);
        });
        assertThat(engine.states("bf", "backfill__2026-11-11T00:00:00+00:00"))
                .containsOnly(Map.entry("extract", TaskState.SUCCESS), Map.entry("load", TaskState.SUCCESS));
    }

    @Test
    void aRangeBetweenSchedulePointsHasNoneAndCronPointsAreAligned() {
        engine = new EngineHarness(NOW);
        engine.register(dag("hourly", "0 */6 * * *", true, "test.noop"));
        engine.db.dags().setPaused("hourly", true);
        assertThat(engine.runs.backfill(range("hourly", "2026-11-10T01:00:00Z", "2026-11-10T05:59:59Z"))).isEmpty();
        assertThat(engine.runs.backfill(range("hourly", "2026-11-10T01:00:00Z", "2026-11-10T12:00:00Z")))
                .extracting(BackfillRun::runId).containsExactly("backfill__2026-11-10T06:00:00+00:00",
                        "backfill__2026-11-10T12:00:00+00:00");
    }

    @Test
    void existingRunsAreReusedAndClearedOnlyAsAsked() {
        engine = new EngineHarness(NOW);
        engine.register(dag("reuse", "@daily", false, "test.flaky"));
        engine.db.dags().setPaused("reuse", true);
        TestPlugin.FAILURES.put("backfill_flaky", new AtomicInteger(1));
        String day = "2026-11-05T00:00:00Z";
        String runId = "backfill__2026-11-05T00:00:00+00:00";
        engine.runs.backfill(range("reuse", day, day));
        engine.settle();
        assertThat(engine.runsOf("reuse")).singleElement().extracting(RunRecord::state).isEqualTo(RunState.FAILED);

        BackfillRun again = engine.runs.backfill(range("reuse", day, day)).get(0);
        assertThat(again.action()).isEqualTo(BackfillAction.REUSED);
        assertThat(again.runId()).isEqualTo(runId);
        assertThat(engine.runsOf("reuse")).singleElement().extracting(RunRecord::state).isEqualTo(RunState.FAILED);

        BackfillRun dry = engine.runs.backfill(new RunService.Backfill("reuse", Instant.parse(day), Instant.parse(day),
                false, true, true, null)).get(0);
        assertThat(dry.action()).isEqualTo(BackfillAction.CLEARED);
        assertThat(dry.clearedTaskInstances()).isEqualTo(1);
        assertThat(engine.states("reuse", runId)).containsEntry("backfill_flaky", TaskState.FAILED);

        BackfillRun rerun = engine.runs.backfill(new RunService.Backfill("reuse", Instant.parse(day),
                Instant.parse(day), false, true, false, null)).get(0);
        assertThat(rerun.clearedTaskInstances()).as("only the failed task").isEqualTo(1);
        engine.settle();
        assertThat(engine.runsOf("reuse")).singleElement().extracting(RunRecord::state).isEqualTo(RunState.SUCCESS);
        assertThat(engine.ti("reuse", runId, "extract").tryNumber()).isEqualTo(1);
        assertThat(engine.ti("reuse", runId, "backfill_flaky").tryNumber()).isEqualTo(2);

        BackfillRun nothingFailed = engine.runs.backfill(new RunService.Backfill("reuse", Instant.parse(day),
                Instant.parse(day), false, true, false, null)).get(0);
        assertThat(nothingFailed.action()).isEqualTo(BackfillAction.REUSED);

        BackfillRun reset = engine.runs.backfill(new RunService.Backfill("reuse", Instant.parse(day),
                Instant.parse(day), true, false, false, null)).get(0);
        assertThat(reset.action()).isEqualTo(BackfillAction.CLEARED);
        assertThat(reset.clearedTaskInstances()).isEqualTo(2);
        engine.settle();
        assertThat(engine.ti("reuse", runId, "extract").tryNumber()).isEqualTo(2);
        assertThat(engine.runsOf("reuse")).singleElement().extracting(RunRecord::state).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aManualRunAtASchedulePointIsReused() {
        engine = new EngineHarness(NOW);
        engine.register(dag("manual", "@daily", false, "test.noop"));
        engine.db.dags().setPaused("manual", true);
        RunRecord manual = engine.runs.trigger(new RunService.Trigger("manual", null,
                Instant.parse("2026-11-06T00:00:00Z"), null, null, null, null));
        List<BackfillRun> runs = engine.runs.backfill(range("manual", "2026-11-05T00:00:00Z", "2026-11-06T00:00:00Z"));
        assertThat(runs).extracting(BackfillRun::action).containsExactly(BackfillAction.CREATED,
                BackfillAction.REUSED);
        assertThat(runs.get(1).runId()).isEqualTo(manual.runId());
        assertThat(engine.runsOf("manual")).hasSize(2);
    }

    @Test
    void refusalsSayWhy() {
        engine = new EngineHarness(NOW);
        engine.register(dag("bf", "@daily", false, "test.noop"));
        DagBuilder b = Dag.builder("unscheduled");
        b.task("only", NOOP);
        engine.register(b.build());
        assertThatThrownBy(() -> engine.runs.backfill(range("unscheduled", "2026-11-01T00:00:00Z",
                "2026-11-02T00:00:00Z"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no schedule points");
        assertThatThrownBy(() -> engine.runs.backfill(range("bf", "2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after it ends");
        assertThatThrownBy(() -> engine.runs.backfill(new RunService.Backfill("bf", NOW, NOW, true, true, false,
                null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> engine.runs.backfill(range("nope", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")))
                .isInstanceOf(DagNotFoundException.class);
    }
}
