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
    /** Task-instance states grouped by run, as the decisions take them. */
    static Map<Long, List<TaskStateRow>> byRun(Iterable<TaskStateRow> states) {
        Map<Long, List<TaskStateRow>> byRun = new HashMap<>();
        for (TaskStateRow row : states) {
            byRun.computeIfAbsent(row.runPk(), k -> new ArrayList<>()).add(row);
        }
        return byRun;
    }

    /**
     * States a task instance whose task left the DAG is moved out of: it is waiting, not claimed by a worker. A try
     * that is queued or running finishes under the version it started with.
     */
    static final java.util.Set<TaskState> REMOVABLE = java.util.EnumSet.of(TaskState.NONE, TaskState.SCHEDULED,
            TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE);

    private RunDecider() {
    }

    static RunDecision decide(CompiledDag dag, List<TaskStateRow> rows) {
        return decide(dag, rows, null);
    }

    /**
     * Decides for the waiting task instances among {@code candidates} only (null: all, with the run's final state),
     * from the states in {@code rows}, which must hold every candidate's direct upstream. A decision for a candidate
     * counts for the candidates after it, as in a whole-run decision; nothing else is decided.
     */
    static RunDecision decide(CompiledDag dag, List<TaskStateRow> rows, java.util.Set<String> candidates) {
        Map<String, TaskStateRow> byTask = new HashMap<>();
        Map<String, TaskState> state = new HashMap<>();
        Map<TaskState, List<Long>> removed = new java.util.EnumMap<>(TaskState.class);
        for (TaskStateRow row : rows) {
            byTask.put(row.taskId(), row);
            TaskState s = row.state();
            if (dag.task(row.taskId()) == null && REMOVABLE.contains(s)) {
                // The task left the DAG (a new version) while this run was unfinished: Airflow's verify_integrity.
                removed.computeIfAbsent(s, k -> new ArrayList<>()).add(row.id());
                s = TaskState.REMOVED;
            }
            state.put(row.taskId(), s);
        }
        List<Long> schedule = new ArrayList<>();
        List<Long> skip = new ArrayList<>();
        List<Long> upstreamFailed = new ArrayList<>();
        for (String taskId : dag.topologicalOrder()) {
            TaskStateRow row = byTask.get(taskId);
            if (row == null || row.state() != TaskState.NONE || candidates != null && !candidates.contains(taskId)) {
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
        return new RunDecision(schedule, skip, upstreamFailed, candidates == null ? finalState(dag, state) : null,
                removed);
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
