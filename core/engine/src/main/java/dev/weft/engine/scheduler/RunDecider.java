package dev.weft.engine.scheduler;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.schedule.TriggerRules;
import dev.weft.engine.schedule.UpstreamSummary;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.TaskSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one run, which waiting task instances become scheduled, skipped or upstream_failed (by trigger
 * rule), and whether the run is over: success when every leaf succeeded or was skipped, failed when a leaf failed or
 * was upstream_failed (Airflow B6.25). Skips and upstream failures propagate through the whole DAG in one pass.
 */
final class RunDecider {
    private RunDecider() {
    }

    static RunDecision decide(CompiledDag dag, List<TaskStateRow> rows) {
        Map<String, TaskStateRow> byTask = new HashMap<>();
        Map<String, TaskState> state = new HashMap<>();
        for (TaskStateRow row : rows) {
            byTask.put(row.taskId(), row);
            state.put(row.taskId(), row.state());
        }
        List<Long> schedule = new ArrayList<>();
        List<Long> skip = new ArrayList<>();
        List<Long> upstreamFailed = new ArrayList<>();
        for (String taskId : dag.topologicalOrder()) {
            TaskStateRow row = byTask.get(taskId);
            if (row == null || row.state() != TaskState.NONE) {
                continue;
            }
            TaskSpec task = dag.task(taskId);
            List<TaskState> upstream = new ArrayList<>(task.upstream().size());
            for (String up : task.upstream()) {
                upstream.add(state.getOrDefault(up, TaskState.REMOVED));
            }
            switch (TriggerRules.decide(task.triggerRule(), UpstreamSummary.of(upstream))) {
                case RUN -> {
                    schedule.add(row.id());
                    state.put(taskId, TaskState.SCHEDULED);
                }
                case SKIP -> {
                    skip.add(row.id());
                    state.put(taskId, TaskState.SKIPPED);
                }
                case UPSTREAM_FAILED -> {
                    upstreamFailed.add(row.id());
                    state.put(taskId, TaskState.UPSTREAM_FAILED);
                }
                case WAIT -> {
                }
            }
        }
        return new RunDecision(schedule, skip, upstreamFailed, finalState(dag, state));
    }

    private static RunState finalState(CompiledDag dag, Map<String, TaskState> state) {
        for (TaskState s : state.values()) {
            if (!s.isFinished()) {
                return null;
            }
        }
        for (Map.Entry<String, TaskState> e : state.entrySet()) {
            boolean leaf = dag.task(e.getKey()) == null || dag.isLeaf(e.getKey());
            if (leaf && (e.getValue() == TaskState.FAILED || e.getValue() == TaskState.UPSTREAM_FAILED)) {
                return RunState.FAILED;
            }
        }
        return RunState.SUCCESS;
    }
}
