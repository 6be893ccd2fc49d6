package dev.weft.plugins.standard;

import dev.weft.plugins.standard.fixtures.Checks;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskSkipException;
import dev.weft.spi.TaskState;
import dev.weft.testkit.InMemoryDagRuns;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user's figure 6.20: DAG 1 runs at 16:00, DAG 2 at 18:00 and waits for DAG 1's process_supermarket. */
class ExternalTaskSensorTest {
    private static final String DAG1 = "figure_6_20_dag_1";
    private static final Instant DAG2_LOGICAL = Instant.parse("2026-01-03T18:00:00Z");
    private static final Instant DAG1_SAME_DAY = Instant.parse("2026-01-03T16:00:00Z");
    private static final String CHECKS = Checks.class.getName();

    private final ExternalTaskSensorFactory factory = new ExternalTaskSensorFactory();
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("figure_6_20_dag_2")
            .taskId("wait_for_process_supermarket").logicalDate(DAG2_LOGICAL).build();
    private final InMemoryDagRuns runs = ctx.inMemoryDagRuns();

    ExternalTaskSensorTest() {
        runs.registerDag(DAG1, "0 16 * * *", "copy_to_raw", "process_supermarket");
        for (int day = 1; day <= 5; day++) {
            runs.scheduledLogicalDates(DAG1, Instant.parse("2026-01-0" + day + "T16:00:00Z"));
        }
    }

    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("external_dag_id", DAG1);
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private PokeResult poke(Map<String, Object> params) throws Exception {
        return SensorHarness.pokeOnce(factory, params, ctx);
    }

    @Test
    void executionDeltaOfTwoHoursWaitsUntilTheUpstreamTaskSucceeds() throws Exception {
        var sensor = SensorHarness.of(factory, params("external_task_id", "process_supermarket", "execution_delta", "PT2H"), ctx);
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).anyMatch(l -> l.contains("Poking for task [process_supermarket] of DAG 'figure_6_20_dag_1'"
                + " at logical date(s) [2026-01-03T16:00:00Z]"));
        assertThat(ctx.logLines()).contains("INFO Found: process_supermarket @ 2026-01-03T16:00:00Z: not there yet");

        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.RUNNING);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.RUNNING);
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).contains("INFO Found: process_supermarket @ 2026-01-03T16:00:00Z: running");

        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.SUCCESS);
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
    }

    @Test
    void executionDeltaOfSixHoursFailsAtOnceNamingTheDeltaThatWouldMatch() throws Exception {
        PokeResult result = poke(params("external_task_id", "process_supermarket", "execution_delta", "PT6H"));
        assertThat(result).isInstanceOf(PokeResult.Failed.class);
        String reason = ((PokeResult.Failed) result).reason();
        assertThat(reason).contains("has no run at 2026-01-03T12:00:00Z")
                .contains("'0 16 * * *'")
                .contains("2026-01-03T16:00:00Z")
                .contains("set execution_delta=PT2H")
                .contains("execution_delta=PT6H");
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("ERROR DAG 'figure_6_20_dag_1' has no run at"));
    }

    @Test
    void noDeltaOnADifferentScheduleFailsAtOnceToo() throws Exception {
        PokeResult result = poke(params("external_task_id", "process_supermarket"));
        assertThat(((PokeResult.Failed) result).reason()).contains("has no run at 2026-01-03T18:00:00Z")
                .contains("set execution_delta=PT2H");
    }

    @Test
    void aRunAtAnOffScheduleDateStillCounts() throws Exception {
        Instant noon = Instant.parse("2026-01-03T12:00:00Z");
        runs.addRun(DAG1, "manual__noon", noon, RunState.SUCCESS, Map.of());
        runs.setTaskState(DAG1, noon, "process_supermarket", TaskState.SUCCESS);
        assertThat(poke(params("external_task_id", "process_supermarket", "execution_delta", "PT6H")))
                .isEqualTo(PokeResult.ready());
    }

    @Test
    void manualRunsOfTheOtherDagKeepTheSensorWaitingWithTheAdvice() throws Exception {
        runs.addRun(DAG1, "manual__morning", Instant.parse("2026-01-02T09:00:00Z"), RunState.SUCCESS, Map.of());
        assertThat(poke(params("external_task_id", "process_supermarket", "execution_delta", "PT6H")))
                .isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("WARN DAG 'figure_6_20_dag_1' has no run at "
                + "2026-01-03T12:00:00Z") && l.contains("set execution_delta=PT2H")
                && l.endsWith("Still waiting, as a run may come there all the same: DAG 'figure_6_20_dag_1' has had 1"
                + " manual run(s)."));
    }

    @Test
    void anUnscheduledDagIsWaitedForWithoutFailing() throws Exception {
        runs.registerDag("manual_only", null, "t");
        assertThat(poke(params("external_dag_id", "manual_only", "external_task_id", "t")))
                .isInstanceOf(PokeResult.NotYet.class);
    }

    @Test
    void everyDateFromExecutionDateFnMustBeInAnAllowedState() throws Exception {
        var sensor = SensorHarness.of(factory, params("external_task_id", "process_supermarket",
                "execution_date_fn", CHECKS + "::lastThreeDays"), ctx);
        for (int day = 1; day <= 3; day++) {
            Instant d = Instant.parse("2026-01-0" + day + "T16:00:00Z");
            runs.addRun(DAG1, d, RunState.SUCCESS);
            runs.setTaskState(DAG1, d, "process_supermarket", day == 2 ? TaskState.RUNNING : TaskState.SUCCESS);
        }
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).anyMatch(l -> l.contains(
                "[2026-01-01T16:00:00Z, 2026-01-02T16:00:00Z, 2026-01-03T16:00:00Z] (from execution_date_fn"));
        runs.setTaskState(DAG1, Instant.parse("2026-01-02T16:00:00Z"), "process_supermarket", TaskState.SUCCESS);
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
    }

    @Test
    void executionDateFnMayTakeTheContext() throws Exception {
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.SUCCESS);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.SUCCESS);
        assertThat(poke(params("external_task_id", "process_supermarket",
                "execution_date_fn", CHECKS + "::twoHoursBefore"))).isEqualTo(PokeResult.ready());
        assertThat(ctx.logLines()).contains("INFO computing for wait_for_process_supermarket");
    }

    @Test
    void executionDateLooksAtTheDateItsTemplateRendered() throws Exception {
        // What the engine hands the sensor once it rendered e.g. "{{ macros.ds_add(ds, -1) }}T16:00:00+00:00".
        var sensor = SensorHarness.of(factory, params("external_task_id", "process_supermarket",
                "execution_date", "2026-01-02T16:00:00+00:00"), ctx);
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).anyMatch(l -> l.contains("at logical date(s) [2026-01-02T16:00:00Z] (execution_date "
                + "rendered to '2026-01-02T16:00:00+00:00' for logical date 2026-01-03T18:00:00Z)"));
        runs.addRun(DAG1, Instant.parse("2026-01-02T16:00:00Z"), RunState.SUCCESS);
        runs.setTaskState(DAG1, Instant.parse("2026-01-02T16:00:00Z"), "process_supermarket", TaskState.SUCCESS);
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready());
    }

    @Test
    void anExecutionDateThatIsNoDateIsAParamsErrorNamingWhatItRenderedTo() {
        assertThatThrownBy(() -> poke(params("external_task_id", "process_supermarket", "execution_date", "yesterday")))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessage("execution_date: 'yesterday' is not an ISO-8601 date (2026-11-21) or date-time "
                        + "(2026-11-21T16:00:00+00:00)");
    }

    @Test
    void executionDateFnIsCheckedWhenTheDagLoads() {
        assertThatThrownBy(() -> poke(params("execution_date_fn", CHECKS + "::wrongReturn")))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("must return an Instant");
        assertThatThrownBy(() -> poke(params("execution_date_fn", CHECKS + "::wrongParameter")))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("must take the logical date (an Instant)");
        assertThatThrownBy(() -> poke(params("execution_date_fn", CHECKS + "::lastThreeDay")))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("did you mean 'lastThreeDays'?");
    }

    @Test
    void aFailedStateFailsTheSensorAndByDefaultAFailureKeepsItWaiting() throws Exception {
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.FAILED);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.FAILED);
        assertThat(poke(params("external_task_id", "process_supermarket", "execution_delta", "PT2H")))
                .as("B3.16: without failed_states an external failure does not fail the sensor")
                .isInstanceOf(PokeResult.NotYet.class);
        assertThatThrownBy(() -> poke(params("external_task_id", "process_supermarket", "execution_delta", "PT2H",
                "failed_states", List.of("failed", "upstream_failed"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("process_supermarket @ 2026-01-03T16:00:00Z is failed");
    }

    @Test
    void aSkippedStateSkipsTheSensor() throws Exception {
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.SUCCESS);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "copy_to_raw", TaskState.SUCCESS);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.SKIPPED);
        assertThatThrownBy(() -> poke(params("external_task_ids", List.of("copy_to_raw", "process_supermarket"),
                "execution_delta", 7200, "skipped_states", List.of("skipped"))))
                .isInstanceOf(TaskSkipException.class).hasMessageContaining("process_supermarket @ 2026-01-03T16:00:00Z is skipped");
    }

    @Test
    void severalTasksMustAllBeAllowed() throws Exception {
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.RUNNING);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "copy_to_raw", TaskState.SUCCESS);
        Map<String, Object> both = params("external_task_ids", List.of("copy_to_raw", "process_supermarket"),
                "execution_delta", "PT2H");
        assertThat(poke(both)).isInstanceOf(PokeResult.NotYet.class);
        runs.setTaskState(DAG1, DAG1_SAME_DAY, "process_supermarket", TaskState.SUCCESS);
        assertThat(poke(both)).isEqualTo(PokeResult.ready());
    }

    @Test
    void withoutTaskIdsItWaitsForTheWholeDagRun() throws Exception {
        Map<String, Object> wholeDag = params("execution_delta", "PT2H", "failed_states", List.of("failed"));
        assertThat(poke(wholeDag)).isInstanceOf(PokeResult.NotYet.class);
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.RUNNING);
        assertThat(poke(wholeDag)).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).contains("INFO Found: 2026-01-03T16:00:00Z: running");
        runs.setRunState(DAG1, runs.runAt(DAG1, DAG1_SAME_DAY).orElseThrow().runId(), RunState.SUCCESS);
        assertThat(poke(wholeDag)).isEqualTo(PokeResult.ready());
        runs.setRunState(DAG1, runs.runAt(DAG1, DAG1_SAME_DAY).orElseThrow().runId(), RunState.FAILED);
        assertThatThrownBy(() -> poke(wholeDag)).hasMessageContaining("2026-01-03T16:00:00Z is failed");
    }

    @Test
    void checkExistenceFailsForAMissingDagOrTask() {
        assertThatThrownBy(() -> poke(params("external_dag_id", "nope", "check_existence", true)))
                .hasMessage("The external DAG nope does not exist.");
        assertThatThrownBy(() -> poke(params("external_task_id", "proces_supermarket", "check_existence", true,
                "execution_delta", "PT2H")))
                .hasMessage("The external task proces_supermarket in DAG figure_6_20_dag_1 does not exist.");
    }

    @Test
    void constructionRulesAreValidationErrors() {
        assertThatThrownBy(() -> poke(Map.of())).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("external_dag_id: is required");
        assertThatThrownBy(() -> poke(params("external_task_id", "a", "external_task_ids", List.of("b"))))
                .hasMessage("external_task_ids: set external_task_id or external_task_ids, not both");
        assertThatThrownBy(() -> poke(params("execution_delta", "PT1H", "execution_date_fn", CHECKS + "::lastThreeDays")))
                .hasMessage("execution_date_fn: set one of execution_delta, execution_date_fn and execution_date, "
                        + "not several");
        assertThatThrownBy(() -> poke(params("execution_delta", "PT1H", "execution_date", "2026-01-03")))
                .hasMessage("execution_date: set one of execution_delta, execution_date_fn and execution_date, "
                        + "not several");
        assertThatThrownBy(() -> poke(params("external_task_id", "a", "allowed_states", List.of("success"),
                "failed_states", List.of("success"))))
                .hasMessageStartingWith("failed_states: 'success' is also in allowed_states");
        assertThatThrownBy(() -> poke(params("skipped_states", List.of("skipped"))))
                .hasMessageStartingWith("skipped_states: 'skipped' is not a DAG run state");
        assertThatThrownBy(() -> poke(params("external_task_id", "a", "allowed_states", List.of("finished"))))
                .hasMessageStartingWith("allowed_states: 'finished' is not a task state");
        assertThatThrownBy(() -> poke(params("external_task_ids", List.of("a", "a"))))
                .hasMessage("external_task_ids: lists 'a' twice");
    }

    @Test
    void anEmptyTaskIdListMeansTheWholeDag() throws Exception {
        runs.addRun(DAG1, DAG1_SAME_DAY, RunState.SUCCESS);
        assertThat(poke(params("external_task_ids", List.of(), "execution_delta", Duration.ofHours(2).toString())))
                .isEqualTo(PokeResult.ready());
    }
}
