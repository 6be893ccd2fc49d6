package dev.weft.examples;

import dev.weft.engine.dag.DagFileParser;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Chapter 5's branching DAG with the real standard plugin: each day's ERP path, the join, and latest-only. */
class UmbrellaDagsTest {
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private String scheduledRun(int daysAgo) {
        return engine.runsOf(UmbrellaDags.DAG_ID).stream()
                .filter(r -> r.logicalDate().equals(Dag.daysAgo(daysAgo))).map(RunRecord::runId).findFirst()
                .orElseThrow();
    }

    @Test
    void eachDayTakesItsErpPathTheJoinRunsAndOnlyTheLatestRunDeploys() {
        engine = new EngineHarness(Dag.daysAgo(0).plus(Duration.ofHours(10)));
        engine.register(UmbrellaDags.branching(Dag.daysAgo(1)));
        engine.settle();

        assertThat(engine.runsOf(UmbrellaDags.DAG_ID)).hasSize(3)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
        Map<String, TaskState> old = engine.states(UmbrellaDags.DAG_ID, scheduledRun(3));
        assertThat(old).containsEntry("fetch_sales_old", TaskState.SUCCESS)
                .containsEntry("clean_sales_old", TaskState.SUCCESS)
                .containsEntry("fetch_sales_new", TaskState.SKIPPED).containsEntry("clean_sales_new", TaskState.SKIPPED)
                .containsEntry("join_erp_branch", TaskState.SUCCESS).containsEntry("join_datasets", TaskState.SUCCESS)
                .containsEntry("latest_only", TaskState.SUCCESS).containsEntry("deploy_model", TaskState.SKIPPED);
        Map<String, TaskState> latest = engine.states(UmbrellaDags.DAG_ID, scheduledRun(1));
        assertThat(latest).containsEntry("fetch_sales_old", TaskState.SKIPPED)
                .containsEntry("fetch_sales_new", TaskState.SUCCESS).containsEntry("join_erp_branch", TaskState.SUCCESS)
                .containsEntry("deploy_model", TaskState.SUCCESS);
    }

    @Test
    void aDagFileBranchesAndShortCircuitsWithTheSameTypes() {
        DagFileParser.Result parsed = new DagFileParser(Map.of()).parse("""
                dag_id: yaml_branching
                tasks:
                  - task_id: pick
                    type: standard.branch
                    params:
                      callable: dev.weft.examples.UmbrellaDags::pickErpSystem
                      op_kwargs: {ds: "{{ ds }}", erp_change_date: "2000-01-01"}
                  - {task_id: fetch_sales_old, type: standard.empty, upstream: pick}
                  - {task_id: fetch_sales_new, type: standard.empty, upstream: pick}
                  - task_id: check
                    type: standard.short_circuit
                    upstream: [fetch_sales_old, fetch_sales_new]
                    trigger_rule: none_failed_min_one_success
                    params:
                      callable: java.lang.Boolean::parseBoolean
                      op_args: ["false"]
                      ignore_downstream_trigger_rules: false
                  - {task_id: report, type: standard.empty, upstream: check}
                  - {task_id: cleanup, type: standard.empty, upstream: report, trigger_rule: all_done}
                """);
        assertThat(parsed.problems()).isEmpty();
        engine = new EngineHarness(Dag.daysAgo(0).plus(Duration.ofHours(10)));
        engine.register(parsed.dags().get(0).spec());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("yaml_branching", "r1", null, null, Map.of(),
                null, null));
        engine.settle();

        // The short-circuit skips its direct downstream only; cleanup's all_done still runs after the skip.
        assertThat(engine.states("yaml_branching", run.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pick", TaskState.SUCCESS, "fetch_sales_old", TaskState.SKIPPED, "fetch_sales_new", TaskState.SUCCESS,
                "check", TaskState.SUCCESS, "report", TaskState.SKIPPED, "cleanup", TaskState.SUCCESS));
    }

    @Test
    void aManualRunDeploysWhateverItsDate() {
        engine = new EngineHarness(Dag.daysAgo(0).plus(Duration.ofHours(10)));
        engine.register(UmbrellaDags.branching(Dag.daysAgo(1)));
        RunRecord run = engine.runs.trigger(new RunService.Trigger(UmbrellaDags.DAG_ID, "by_hand", Dag.daysAgo(30),
                null, Map.of(), null, null));
        engine.settle();

        assertThat(engine.states(UmbrellaDags.DAG_ID, run.runId())).containsEntry("fetch_sales_old", TaskState.SUCCESS)
                .containsEntry("deploy_model", TaskState.SUCCESS);
        assertThat(engine.log(UmbrellaDags.DAG_ID, run.runId(), "latest_only", 1))
                .anyMatch(l -> l.contains("Externally triggered DAG run: allowing execution to proceed."));
    }
}
