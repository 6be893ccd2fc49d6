package dev.weft.examples;

import dev.weft.engine.dag.DagFileParser;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.plugins.standard.Standard;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.SensorMode;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Figure 6.20 (16:00 and 18:00 with execution_delta) and the daily / 5-hourly pair with execution_date_fn. */
class ExternalTaskSensorDagsTest {
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void dag2WaitsForProcessSupermarketOfDag1TwoHoursEarlier() {
        DagSpec dag1 = SupermarketDags.figure620Dag1();
        DagSpec dag2 = SupermarketDags.figure620Dag2(Duration.ofHours(2));
        Instant firstDay = dag1.startDate();
        // The first day's runs: DAG 1 at 16:00 and DAG 2 at 18:00, each created a day later.
        engine = new EngineHarness(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(18)).plusSeconds(60));
        engine.register(dag1, dag2);
        engine.db.dags().setPaused("figure_6_20_dag_1", true);
        engine.settle();

        RunRecord run2 = single("figure_6_20_dag_2");
        assertThat(run2.logicalDate()).isEqualTo(firstDay.plus(Duration.ofHours(18)));
        assertThat(engine.states("figure_6_20_dag_2", run2.runId()))
                .containsEntry("wait_for_process_supermarket", TaskState.UP_FOR_RESCHEDULE)
                .containsEntry("report", TaskState.NONE);
        assertThat(engine.log("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket", 1))
                .anyMatch(l -> l.contains("process_supermarket @ " + firstDay.plus(Duration.ofHours(16))
                        + ": not there yet"));

        engine.db.dags().setPaused("figure_6_20_dag_1", false);
        engine.settle();
        RunRecord run1 = single("figure_6_20_dag_1");
        assertThat(run1.logicalDate()).isEqualTo(firstDay.plus(Duration.ofHours(16)));
        assertThat(run1.state()).isEqualTo(RunState.SUCCESS);

        engine.clock.advance(SupermarketDags.POKE_INTERVAL);
        engine.settle();
        assertThat(engine.states("figure_6_20_dag_2", run2.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "wait_for_process_supermarket", TaskState.SUCCESS, "report", TaskState.SUCCESS));
        assertThat(single("figure_6_20_dag_2").state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void theNotesSixHoursFailAtTheFirstPokeNamingTwoHours() {
        DagSpec dag1 = SupermarketDags.figure620Dag1();
        DagSpec asInTheNotes = SupermarketDags.figure620Dag2(Duration.ofHours(6));
        Instant firstDay = dag1.startDate();
        engine = new EngineHarness(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(18)).plusSeconds(60));
        engine.register(dag1, asInTheNotes);
        engine.settle();

        RunRecord run2 = single("figure_6_20_dag_2");
        var sensor = engine.ti("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket");
        assertThat(sensor.state()).isEqualTo(TaskState.FAILED);
        assertThat(sensor.tryNumber()).isEqualTo(1);
        assertThat(sensor.pokeCount()).isEqualTo(1);
        assertThat(engine.states("figure_6_20_dag_2", run2.runId())).containsEntry("report", TaskState.UPSTREAM_FAILED);
        assertThat(run2.state()).isEqualTo(RunState.FAILED);
        assertThat(String.join("\n", engine.log("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket", 1)))
                .contains("has no run at " + firstDay.plus(Duration.ofHours(12)))
                .contains("execution_delta=PT6H")
                .contains("set execution_delta=PT2H");
    }

    /** DAG 2 of figure 6.20 looking 6 hours back, as in the notes, with the sensor's soft_fail as given. */
    private static DagSpec sixHoursBack(boolean softFail) {
        DagBuilder dag = Dag.builder("figure_6_20_dag_2").schedule("0 18 * * *").startDate(Dag.daysAgo(3));
        dag.sensor("wait_for_process_supermarket", Standard.externalTask(SupermarketDags.FIGURE_6_20_DAG_1)
                        .taskId("process_supermarket").executionDelta(Duration.ofHours(6)))
                .mode(SensorMode.RESCHEDULE).pokeInterval(SupermarketDags.POKE_INTERVAL).softFail(softFail)
                .then(dag.task("report", Standard.empty()));
        return dag.build();
    }

    @Test
    void withSoftFailTheNotesSixHoursSkipTheSensorWithTheSameAdvice() {
        DagSpec dag1 = SupermarketDags.figure620Dag1();
        Instant firstDay = dag1.startDate();
        engine = new EngineHarness(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(18)).plusSeconds(60));
        engine.register(dag1, sixHoursBack(true));
        engine.settle();

        RunRecord run2 = single("figure_6_20_dag_2");
        assertThat(engine.states("figure_6_20_dag_2", run2.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "wait_for_process_supermarket", TaskState.SKIPPED, "report", TaskState.SKIPPED));
        assertThat(String.join("\n", engine.log("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket", 1)))
                .contains("has no run at " + firstDay.plus(Duration.ofHours(12)))
                .contains("set execution_delta=PT2H")
                .contains("soft_fail is on, so the task is skipped");
    }

    @Test
    void whenTheOtherDagHasManualRunsTheSixHoursWaitAndSayWhy() {
        DagSpec dag1 = SupermarketDags.figure620Dag1();
        Instant firstDay = dag1.startDate();
        engine = new EngineHarness(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(18)).plusSeconds(60));
        engine.register(dag1, sixHoursBack(false));
        // Someone runs DAG 1 by hand: its runs may then come at any logical date, so no date is certain to stay empty.
        engine.runs.trigger(new RunService.Trigger(SupermarketDags.FIGURE_6_20_DAG_1, null, firstDay.plusSeconds(7),
                null, Map.of(), null, null));
        engine.settle();

        RunRecord run2 = single("figure_6_20_dag_2");
        assertThat(engine.ti("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket").state())
                .isEqualTo(TaskState.UP_FOR_RESCHEDULE);
        assertThat(engine.log("figure_6_20_dag_2", run2.runId(), "wait_for_process_supermarket", 1))
                .anyMatch(l -> l.startsWith("WARN DAG 'figure_6_20_dag_1' has no run at "
                        + firstDay.plus(Duration.ofHours(12))) && l.contains("set execution_delta=PT2H")
                        && l.contains("Still waiting, as a run may come there all the same: DAG 'figure_6_20_dag_1'"
                        + " has had 1 run(s) triggered by hand or by another DAG"));
    }

    /** The daily / 5-hourly pair, as Java ({@code execution_date_fn}) or as DAG files ({@code execution_date}). */
    record FiveHourlyPair(String name, DagSpec daily, DagSpec fiveHourly, String howTheDateWasFound) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<FiveHourlyPair> fiveHourlyPairs() throws IOException {
        DagFileParser parser = new DagFileParser(Map.of());
        return List.of(
                new FiveHourlyPair("Java", SupermarketDags.executionDateFnDag1(), SupermarketDags.executionDateFnDag2(),
                        "from execution_date_fn " + ExecutionDates.class.getName() + "::latestCompleteDay"),
                new FiveHourlyPair("DAG files", dagFile(parser, "execution_date_fn_dag_1.yaml"),
                        dagFile(parser, "execution_date_fn_dag_2.yaml"), "execution_date rendered to '"));
    }

    private static DagSpec dagFile(DagFileParser parser, String name) throws IOException {
        try (InputStream in = ExternalTaskSensorDagsTest.class.getClassLoader()
                .getResourceAsStream("dev/weft/examples/dag-files/" + name)) {
            DagFileParser.Result result = parser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(result.problems()).as(name).isEmpty();
            return result.dags().get(0).spec();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fiveHourlyPairs")
    void theFiveHourlyDagSucceedsOnceTheDailyUpstreamHasSucceeded(FiveHourlyPair pair) {
        DagSpec daily = pair.daily();
        DagSpec fiveHourly = pair.fiveHourly();
        String dailyId = daily.dagId();
        String fiveHourlyId = fiveHourly.dagId();
        Instant firstDay = daily.startDate();
        assertThat(fiveHourly.startDate()).isEqualTo(firstDay.plus(Duration.ofDays(1)));
        // Three daily runs (day 1..3) and 5-hourly runs from day 2 00:00 up to day 4 05:00.
        engine = new EngineHarness(firstDay.plus(Duration.ofDays(3)).plus(Duration.ofHours(10)).plusSeconds(60));
        engine.register(daily, fiveHourly);
        engine.db.dags().setPaused(dailyId, true);
        engine.settle();

        List<RunRecord> reports = engine.runsOf(fiveHourlyId);
        assertThat(reports).hasSize(11);
        assertThat(reports.get(1).logicalDate()).isEqualTo(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(5)));
        for (RunRecord r : reports) {
            assertThat(engine.states(fiveHourlyId, r.runId()))
                    .containsEntry("wait_for_process_supermarket", TaskState.UP_FOR_RESCHEDULE);
        }
        // A run at day 2 20:00 (interval ends day 3 01:00) waits for the daily run of day 2.
        RunRecord evening = reports.get(4);
        assertThat(evening.logicalDate()).isEqualTo(firstDay.plus(Duration.ofDays(1)).plus(Duration.ofHours(20)));
        assertThat(engine.log(fiveHourlyId, evening.runId(), "wait_for_process_supermarket", 1))
                .anyMatch(l -> l.contains("[" + firstDay.plus(Duration.ofDays(1)) + "]")
                        && l.contains(pair.howTheDateWasFound()));

        engine.db.dags().setPaused(dailyId, false);
        engine.settle();
        assertThat(engine.runsOf(dailyId)).hasSize(3)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));

        engine.clock.advance(SupermarketDags.POKE_INTERVAL);
        engine.settle();
        assertThat(engine.runsOf(fiveHourlyId)).hasSize(11)
                .allSatisfy(r -> assertThat(r.state()).as(r.runId()).isEqualTo(RunState.SUCCESS));
    }

    private RunRecord single(String dagId) {
        List<RunRecord> runs = engine.runsOf(dagId);
        assertThat(runs).as(dagId).hasSize(1);
        return runs.get(0);
    }
}
