package dev.weft.examples;

import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing 6.4: DAG 1 triggers DAG 2 once per supermarket; clearing a trigger task reruns its triggered run. */
class Listing604Test {
    private static final String DAG1 = "listing_6_04_dag01";
    private static final String DAG2 = "listing_6_04_dag02";
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
    void eachSupermarketTriggersARunOfDag2WithItsIdAndClearingTheTriggerRerunsThatRun() throws Exception {
        for (int n = 1; n <= 4; n++) {
            Path dir = Files.createDirectories(data.resolve("supermarket" + n));
            Files.writeString(dir.resolve("data-01.csv"), "id,promotion\n");
            Files.createFile(dir.resolve("_SUCCESS"));
        }
        DagSpec dag1 = SupermarketDags.listing604Dag01(data);
        Instant firstRun = dag1.startDate().plus(Duration.ofHours(16));
        // The first 16:00 interval has just ended: one run of DAG 1.
        // Tries start a millisecond apart: with a frozen clock the four trigger tasks of one worker pass would all
        // ask for the same logical date ("now"), which a DAG can have only once, as in Airflow.
        engine = new EngineHarness(firstRun.plus(Duration.ofDays(1)).plusSeconds(60), Duration.ofMillis(1));
        engine.register(dag1, SupermarketDags.listing604Dag02());
        engine.settle();

        RunRecord run1 = engine.runsOf(DAG1).get(0);
        assertThat(engine.runsOf(DAG1)).hasSize(1);
        assertThat(run1.logicalDate()).isEqualTo(firstRun);
        assertThat(run1.state()).isEqualTo(RunState.SUCCESS);
        assertThat(engine.states(DAG1, run1.runId())).hasSize(16).allSatisfy((task, state) ->
                assertThat(state).as(task).isEqualTo(TaskState.SUCCESS));

        List<RunRecord> triggered = dag2Runs();
        assertThat(triggered).hasSize(4);
        for (int n = 1; n <= 4; n++) {
            RunRecord run = triggered.get(n - 1);
            assertThat(run.runId()).isEqualTo("supermarket_" + n + "__" + run1.runId());
            assertThat(run.runType()).isEqualTo(RunType.MANUAL);
            assertThat(run.externalTrigger()).isTrue();
            assertThat(((Number) run.conf().get("supermarket_id")).intValue()).isEqualTo(n);
            assertThat(run.conf()).hasSize(1);
            assertThat(run.triggeredByDagId()).isEqualTo(DAG1);
            assertThat(run.triggeredByRunId()).isEqualTo(run1.runId());
            assertThat(run.triggeredByTaskId()).isEqualTo("trigger_create_metrics_dag_supermarket_" + n);
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(engine.states(DAG2, run.runId())).hasSize(3).allSatisfy((task, state) ->
                    assertThat(state).as(task).isEqualTo(TaskState.SUCCESS));
            // The trigger task pushes the run it triggered as its XCom trigger_run_id, as Airflow's does.
            assertThat(engine.xcoms.find(DAG1, run1.runId(), "trigger_create_metrics_dag_supermarket_" + n,
                    "trigger_run_id")).map(e -> XComs.parse(e.valueJson())).contains(run.runId());
        }

        // The notes' 6.2.1: to rerun the other DAG, clear the trigger task in the DAG that holds it.
        engine.clock.advance(Duration.ofMinutes(30));
        List<TaskInstanceRecord> cleared = engine.runs.clearTasks(DAG1, run1.runId(),
                List.of("trigger_create_metrics_dag_supermarket_1"), false);
        assertThat(cleared).hasSize(1);
        engine.settle();

        assertThat(engine.ti(DAG1, run1.runId(), "trigger_create_metrics_dag_supermarket_1"))
                .satisfies(ti -> assertThat(ti.state()).isEqualTo(TaskState.SUCCESS))
                .satisfies(ti -> assertThat(ti.tryNumber()).isEqualTo(2));
        assertThat(engine.log(DAG1, run1.runId(), "trigger_create_metrics_dag_supermarket_1", 2))
                .anyMatch(l -> l.contains("already exists; clearing it (reset_dag_run)"));
        assertThat(dag2Runs()).as("the same four runs, no new one").extracting(RunRecord::runId)
                .containsExactlyElementsOf(triggered.stream().map(RunRecord::runId).toList());
        RunRecord rerun = dag2Runs().get(0);
        assertThat(rerun.state()).isEqualTo(RunState.SUCCESS);
        assertThat(((Number) rerun.conf().get("supermarket_id")).intValue()).as("conf kept").isEqualTo(1);
        for (String task : List.of("compute_differences", "update_dashboard", "notify_new_data")) {
            TaskInstanceRecord again = engine.ti(DAG2, rerun.runId(), task);
            assertThat(again.state()).as(task).isEqualTo(TaskState.SUCCESS);
            assertThat(again.tryNumber()).as(task + " ran again").isEqualTo(2);
            assertThat(engine.ti(DAG2, triggered.get(1).runId(), task).tryNumber())
                    .as("supermarket 2's run was not touched").isEqualTo(1);
        }
        assertThat(engine.runsOf(DAG1).get(0).state()).isEqualTo(RunState.SUCCESS);
    }

    private List<RunRecord> dag2Runs() {
        return engine.runsOf(DAG2).stream().sorted(Comparator.comparing(RunRecord::runId)).toList();
    }
}
