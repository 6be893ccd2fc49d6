package dev.weft.plugins.standard;

import dev.weft.spi.DagRuns.RunInfo;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskSkipException;
import dev.weft.testkit.InMemoryDagRuns;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user's chapter 6.2: listing_6_04_dag01 triggers listing_6_04_dag02 once per supermarket. */
class TriggerDagRunTest {
    private static final String DAG2 = "listing_6_04_dag02";
    private static final Instant NOW = Instant.parse("2026-01-02T16:05:00.123456Z");

    private final TriggerDagRunFactory factory = new TriggerDagRunFactory();
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("listing_6_04_dag01")
            .taskId("trigger_create_metrics_dag_supermarket_1").build();
    private final InMemoryDagRuns runs = ctx.inMemoryDagRuns();

    TriggerDagRunTest() {
        ctx.manualClock().set(NOW);
        runs.registerDag(DAG2, null, "compute_differences", "update_dashboard", "notify_new_data");
    }

    /** The same task's next try: same clock and runs, and the memo the first try left. */
    private TestTaskContext retry() {
        return TestTaskContext.builder().dagId("listing_6_04_dag01").taskId("trigger_create_metrics_dag_supermarket_1")
                .tryNumber(2).memo(ctx.memo()).clock(ctx.clock()).dagRuns(runs).build();
    }

    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("trigger_dag_id", DAG2);
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** The XComs the task pushed (Airflow's trigger_run_id and trigger_logical_date_iso). */
    private Map<String, Object> pushed() {
        return ctx.xcoms("trigger_create_metrics_dag_supermarket_1");
    }

    private PokeResult poke(Map<String, Object> params) throws Exception {
        return SensorHarness.pokeOnce(factory, params, ctx);
    }

    @Test
    void triggersARunWithConfAndPushesItsIdAndLogicalDate() throws Exception {
        PokeResult result = poke(params("conf", Map.of("supermarket_id", 1)));
        String runId = "manual__2026-01-02T16:05:00.123456+00:00";
        assertThat(result).isEqualTo(PokeResult.ready());
        assertThat(pushed()).isEqualTo(Map.of("trigger_run_id", runId,
                "trigger_logical_date_iso", "2026-01-02T16:05:00.123456+00:00"));
        RunInfo run = runs.triggered().get(0);
        assertThat(run.runId()).isEqualTo(runId);
        assertThat(run.runType()).isEqualTo(RunType.MANUAL);
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.conf()).isEqualTo(Map.of("supermarket_id", 1L));
        assertThat(runs.triggerRequests().get(0).logicalDate()).as("the engine decides 'now'").isNull();
        assertThat(ctx.memo()).containsEntry("trigger_run_id", runId);
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("INFO Triggered DAG 'listing_6_04_dag02': run '" + runId + "'"));
    }

    @Test
    void runIdAndLogicalDateMayBeGiven() throws Exception {
        assertThat(poke(params("trigger_run_id", "metrics_1", "logical_date", "2026-01-01T00:00:00")))
                .isEqualTo(PokeResult.ready());
        assertThat(pushed()).isEqualTo(Map.of("trigger_run_id", "metrics_1",
                "trigger_logical_date_iso", "2026-01-01T00:00:00+00:00"));
        assertThat(runs.run(DAG2, "metrics_1").orElseThrow().logicalDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> poke(params("logical_date", "yesterday"))).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("logical_date: 'yesterday' is not an ISO-8601 date-time");
    }

    @Test
    void anExistingRunFailsTheTaskSayingHowToFixIt() {
        runs.addRun(DAG2, "metrics_1", NOW.minusSeconds(60), RunState.SUCCESS, Map.of("supermarket_id", 1));
        assertThatThrownBy(() -> poke(params("trigger_run_id", "metrics_1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot trigger DAG 'listing_6_04_dag02': run 'metrics_1' already exists")
                .hasMessageContaining("reset_dag_run: true")
                .hasMessageContaining("skip_when_already_exists: true");
        // Same logical date, other run id: also "already exists" (B4.6).
        assertThatThrownBy(() -> poke(params("trigger_run_id", "other", "logical_date", NOW.minusSeconds(60).toString())))
                .hasMessageContaining("run 'metrics_1' already exists");
    }

    @Test
    void resetDagRunClearsAndReusesTheExistingRunKeepingItsConf() throws Exception {
        runs.addRun(DAG2, "metrics_1", NOW.minusSeconds(60), RunState.FAILED, Map.of("supermarket_id", 1));
        PokeResult result = poke(params("trigger_run_id", "metrics_1", "reset_dag_run", true,
                "skip_when_already_exists", true, "conf", Map.of("supermarket_id", 2)));
        assertThat(result).isEqualTo(PokeResult.ready());
        assertThat(pushed()).isEqualTo(Map.of("trigger_run_id", "metrics_1",
                "trigger_logical_date_iso", "2026-01-02T16:04:00.123456+00:00"));
        assertThat(runs.cleared()).extracting(RunInfo::runId).containsExactly("metrics_1");
        RunInfo run = runs.run(DAG2, "metrics_1").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.conf()).isEqualTo(Map.of("supermarket_id", 1));
    }

    @Test
    void skipWhenAlreadyExistsSkips() {
        runs.addRun(DAG2, "metrics_1", NOW, RunState.SUCCESS, Map.of());
        assertThatThrownBy(() -> poke(params("trigger_run_id", "metrics_1", "skip_when_already_exists", true)))
                .isInstanceOf(TaskSkipException.class).hasMessageContaining("metrics_1");
    }

    @Test
    void aMissingTargetDagFailsNamingIt() {
        assertThatThrownBy(() -> poke(params("trigger_dag_id", "listing_6_04_dag2")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot trigger DAG 'listing_6_04_dag2': no such DAG (check trigger_dag_id)");
    }

    @Test
    void waitForCompletionFollowsTheRunAcrossPokes() throws Exception {
        var sensor = SensorHarness.of(factory, params("wait_for_completion", true, "poke_interval", 30), ctx);
        PokeResult first = sensor.poke();
        assertThat(first).isInstanceOf(PokeResult.NotYet.class);
        assertThat(((PokeResult.NotYet) first).askAgainAfter()).isEqualTo(Duration.ofSeconds(30));
        String runId = ctx.memo().get("trigger_run_id");
        assertThat(runId).isEqualTo(runs.triggered().get(0).runId());

        runs.setRunState(DAG2, runId, RunState.RUNNING);
        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet(Duration.ofSeconds(30),
                "run '" + runId + "' of DAG 'listing_6_04_dag02' is running; waiting for [success]"));
        assertThat(runs.triggered()).as("later pokes do not trigger again").hasSize(1);

        runs.setRunState(DAG2, runId, RunState.SUCCESS);
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
        assertThat(pushed()).isEqualTo(Map.of("trigger_run_id", runId,
                "trigger_logical_date_iso", "2026-01-02T16:05:00.123456+00:00"));
    }

    @Test
    void aFailedRunFailsTheTaskAndTheRetryMeetsTheExistingRun() throws Exception {
        var sensor = SensorHarness.of(factory, params("wait_for_completion", true), ctx);
        sensor.poke();
        String runId = ctx.memo().get("trigger_run_id");
        runs.setRunState(DAG2, runId, RunState.FAILED);
        assertThatThrownBy(sensor::poke).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listing_6_04_dag02 failed with failed state failed");

        // B4.9: the retry triggers again; with the same logical date it meets the run of try 1.
        TestTaskContext retry = retry();
        Map<String, Object> again = params("wait_for_completion", true, "logical_date", "2026-01-02T16:05:00.123456Z");
        assertThatThrownBy(() -> SensorHarness.pokeOnce(factory, again, retry))
                .hasMessageContaining("run '" + runId + "' already exists");
        // With reset_dag_run the retry clears the failed run and waits for it again.
        Map<String, Object> reset = params("wait_for_completion", true, "reset_dag_run", true,
                "logical_date", "2026-01-02T16:05:00.123456Z");
        assertThat(SensorHarness.pokeOnce(factory, reset, retry)).isInstanceOf(PokeResult.NotYet.class);
        assertThat(runs.run(DAG2, runId).orElseThrow().state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void statesAreCheckedAndAnExplicitEmptyFailedStatesIsKept() throws Exception {
        assertThatThrownBy(() -> poke(params("allowed_states", List.of("done")))).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("allowed_states: unknown DAG run state 'done'");
        var sensor = SensorHarness.of(factory, params("wait_for_completion", true, "failed_states", List.of(),
                "allowed_states", List.of("success", "failed")), ctx);
        sensor.poke();
        runs.setRunState(DAG2, ctx.memo().get("trigger_run_id"), RunState.FAILED);
        assertThat(sensor.poke()).isInstanceOf(PokeResult.Ready.class);
    }
}
