package dev.weft.engine.runs;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recursive clear's walk over triggered runs, external-task sensors and dataset events, on records in memory. */
class RecursiveClearTest {
    private static final Instant T16 = Instant.parse("2026-11-20T16:00:00Z");
    private static final Instant T18 = Instant.parse("2026-11-20T18:00:00Z");

    private final List<TaskInstanceRecord> all = new ArrayList<>();
    private final List<RunRecord> runs = new ArrayList<>();
    /** sensor task instance → "dag/task@date" it looked at. */
    private final Map<TaskInstanceRecord, String> lookups = new java.util.HashMap<>();
    /** "dag/run/task" of a producer → the runs that consumed its latest events. */
    private final Map<String, List<DatasetStore.RunRef>> consumers = new java.util.HashMap<>();

    private TaskInstanceRecord ti(long runPk, String dag, String run, String task, Instant date) {
        TaskInstanceRecord ti = new TaskInstanceRecord(all.size() + 1, runPk, dag, run, task, TaskState.SUCCESS, 1, 1, 1,
                "default_pool", 1, "standard.empty", date, null, null, null, null, null, null, null, null, 0, null,
                null, null, null, null, date);
        all.add(ti);
        return ti;
    }

    private void run(long pk, String dag, String runId, Instant date, String byDag, String byRun, String byTask) {
        runs.add(new RunRecord(pk, dag, runId, RunType.MANUAL, date, null, null, RunState.SUCCESS, true, Map.of(), null,
                null, null, null, null, 0, byDag, byRun, byTask, date, false));
    }

    private RecursiveClear walker() {
        CompiledDag sensorDag = sensorDag();
        Function<String, Optional<CompiledDag>> dags =
                id -> id.equals(sensorDag.dagId()) ? Optional.of(sensorDag) : Optional.empty();
        return new RecursiveClear(List.of(
                new TriggeredRunEdge((d, r, t) -> runs.stream().filter(run -> d.equals(run.triggeredByDagId())
                        && r.equals(run.triggeredByRunId()) && t.equals(run.triggeredByTaskId())).toList(),
                        pk -> all.stream().filter(ti -> ti.runPk() == pk).toList()),
                new ExternalSensorEdge((d, t, date) -> lookups.entrySet().stream()
                        .filter(e -> e.getValue().equals(d + "/" + t + "@" + date)).map(Map.Entry::getKey).toList(),
                        pk -> all.stream().filter(ti -> ti.runPk() == pk).toList(),
                        dags),
                new DatasetEventEdge((d, t, r) -> consumers.getOrDefault(d + "/" + r + "/" + t, List.of()),
                        pk -> all.stream().filter(ti -> ti.runPk() == pk).toList())), dags);
    }

    private static CompiledDag sensorDag() {
        DagBuilder b = Dag.builder("dag_2");
        var wait = b.task("wait", OperatorRef.of("standard.external_task_sensor", Map.of("external_dag_id", "dag_1")));
        wait.then(b.task("report", OperatorRef.of("standard.empty", Map.of())));
        b.task("unrelated", OperatorRef.of("standard.empty", Map.of()));
        return new CompiledDag(b.build(), "v1");
    }

    private static List<String> names(RecursiveClear.Plan plan) {
        return plan.affected().stream().map(a -> a.depth() + ":" + a.taskInstance().dagId() + "/"
                + a.taskInstance().taskId() + (a.reachedBy() == null ? "" : " by " + a.reachedBy())).toList();
    }

    @Test
    void aTriggerTaskReachesEveryTaskOfItsTriggeredRunWhichAwaitsIt() {
        run(1, "dag01", "r1", T16, null, null, null);
        TaskInstanceRecord trigger = ti(1, "dag01", "r1", "trigger", T16);
        run(2, "dag02", "supermarket_1__r1", T16, "dag01", "r1", "trigger");
        ti(2, "dag02", "supermarket_1__r1", "compute", T16);
        ti(2, "dag02", "supermarket_1__r1", "notify", T16);
        run(3, "dag02", "other", T18, "dag01", "r1", "another_trigger");
        ti(3, "dag02", "other", "compute", T18);

        RecursiveClear.Plan plan = walker().plan(List.of(trigger), RecursiveClear.DEFAULT_DEPTH);
        assertThat(names(plan)).containsExactly("0:dag01/trigger", "1:dag02/compute by trigger",
                "1:dag02/notify by trigger");
        assertThat(plan.runsAwaitingTrigger()).containsExactly(2L);
        assertThat(plan.depthLimitReached()).isFalse();
    }

    @Test
    void aTaskWithOutletsReachesEveryTaskOfTheRunsThatConsumedItsEventsWhichAwaitNewOnes() {
        TaskInstanceRecord process = ti(1, "listing_6_04_dag01", "r16", "process_supermarket_1", T16);
        ti(1, "listing_6_04_dag01", "r16", "process_supermarket_2", T16);
        ti(2, "create_metrics", "dataset_triggered__1", "compute", T18);
        ti(2, "create_metrics", "dataset_triggered__1", "notify", T18);
        ti(3, "archive", "dataset_triggered__1", "copy", T18);
        ti(4, "create_metrics", "dataset_triggered__2", "compute", T18);
        consumers.put("listing_6_04_dag01/r16/process_supermarket_1", List.of(
                new DatasetStore.RunRef(2, "create_metrics", "dataset_triggered__1"),
                new DatasetStore.RunRef(3, "archive", "dataset_triggered__1")));
        consumers.put("listing_6_04_dag01/r16/process_supermarket_2", List.of(
                new DatasetStore.RunRef(4, "create_metrics", "dataset_triggered__2")));

        RecursiveClear.Plan plan = walker().plan(List.of(process), RecursiveClear.DEFAULT_DEPTH);
        assertThat(names(plan)).containsExactly("0:listing_6_04_dag01/process_supermarket_1",
                "1:create_metrics/compute by dataset", "1:create_metrics/notify by dataset", "1:archive/copy by dataset");
        assertThat(plan.runsAwaitingTrigger()).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void aTaskReachesTheSensorsThatLookedAtItsDateAndWhatIsDownstreamOfThemUpstreamFirst() {
        TaskInstanceRecord process = ti(1, "dag_1", "r16", "process", T16);
        ti(2, "dag_2", "r18", "report", T18);
        ti(2, "dag_2", "r18", "unrelated", T18);
        TaskInstanceRecord wait = ti(2, "dag_2", "r18", "wait", T18);
        lookups.put(wait, "dag_1/process@" + T16);
        TaskInstanceRecord otherDay = ti(3, "dag_2", "r18b", "wait", T18.plus(Duration.ofDays(1)));
        lookups.put(otherDay, "dag_1/process@" + T16.plus(Duration.ofDays(1)));

        RecursiveClear.Plan plan = walker().plan(List.of(process), 3);
        assertThat(names(plan)).containsExactly("0:dag_1/process", "1:dag_2/wait by external_sensor",
                "1:dag_2/report by external_sensor");
        assertThat(plan.runsAwaitingTrigger()).isEmpty();
    }

    @Test
    void theDepthLimitStopsTheWalkAndSaysWhere() {
        run(1, "a", "r", T16, null, null, null);
        TaskInstanceRecord a = ti(1, "a", "r", "trigger", T16);
        run(2, "b", "r", T16, "a", "r", "trigger");
        ti(2, "b", "r", "trigger", T16);
        run(3, "c", "r", T16, "b", "r", "trigger");
        ti(3, "c", "r", "last", T16);

        RecursiveClear.Plan plan = walker().plan(List.of(a), 1);
        assertThat(names(plan)).containsExactly("0:a/trigger", "1:b/trigger by trigger");
        assertThat(plan.notFollowed()).containsExactly("depth limit 1 reached: the trigger edge from b/r/trigger to"
                + " 1 task instance(s) of c/r was not followed");
        assertThat(walker().plan(List.of(a), 2).taskInstances()).hasSize(3);
    }

    @Test
    void aCycleBetweenDagsEndsTheWalk() {
        run(1, "a", "r", T16, "b", "r", "trigger");
        TaskInstanceRecord a = ti(1, "a", "r", "trigger", T16);
        run(2, "b", "r", T16, "a", "r", "trigger");
        ti(2, "b", "r", "trigger", T16);

        RecursiveClear.Plan plan = walker().plan(List.of(a), RecursiveClear.MAX_DEPTH);
        assertThat(names(plan)).containsExactly("0:a/trigger", "1:b/trigger by trigger");
        assertThat(plan.depthLimitReached()).isFalse();
    }

    @Test
    void aDepthOutsideTheRangeIsRefusedWithTheRange() {
        assertThat(RecursiveClear.depth(null)).isEqualTo(RecursiveClear.DEFAULT_DEPTH);
        assertThatThrownBy(() -> RecursiveClear.depth(0)).hasMessageContaining("between 1 and 100, got 0");
    }
}
