package dev.weft.engine.runs;

import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;

import java.util.List;
import java.util.function.LongFunction;

/**
 * From a task that triggered runs of another DAG (a trigger-dag-run task; the run records the try that created it) to
 * every task instance of those runs. The runs then wait for the cleared task: when it runs again it queues the same run
 * instead of triggering a new one, so the triggered tasks run once, after it.
 */
public final class TriggeredRunEdge implements ClearEdge {
    /** The runs a task of a run triggered: {@code RunStore.triggeredBy}. */
    @FunctionalInterface
    public interface TriggeredRuns {
        List<RunRecord> of(String dagId, String runId, String taskId);
    }

    private final TriggeredRuns triggered;
    private final LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun;

    public TriggeredRunEdge(TriggeredRuns triggered, LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun) {
        this.triggered = triggered;
        this.taskInstancesOfRun = taskInstancesOfRun;
    }

    @Override
    public String kind() {
        return DagDependencies.Kind.TRIGGERS.wireName();
    }

    @Override
    public List<Reach> follow(TaskInstanceRecord cleared) {
        return triggered.of(cleared.dagId(), cleared.runId(), cleared.taskId()).stream()
                .map(run -> new Reach(taskInstancesOfRun.apply(run.id()), true))
                .filter(reach -> !reach.taskInstances().isEmpty())
                .toList();
    }
}
