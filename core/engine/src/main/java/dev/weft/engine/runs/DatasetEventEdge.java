package dev.weft.engine.runs;

import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.TaskInstanceRecord;

import java.util.List;
import java.util.function.LongFunction;

/**
 * From a task with outlets to every task instance of the runs that consumed the latest event it recorded for each of
 * its datasets. Those runs then wait, finished, for new events from the task: started at once they would run on the
 * old data, and again in the run the new event creates. The scheduler queues the same run when the new events arrive
 * (see {@code DatasetTriggers}), so the consumer's tasks run once, after the producer, on its new data.
 */
public final class DatasetEventEdge implements ClearEdge {
    /** The runs that consumed a task instance's events: {@code DatasetStore.runsConsumingEventsOf}. */
    @FunctionalInterface
    public interface ConsumingRuns {
        List<DatasetStore.RunRef> of(String dagId, String taskId, String runId);
    }

    private final ConsumingRuns consumers;
    private final LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun;

    public DatasetEventEdge(ConsumingRuns consumers, LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun) {
        this.consumers = consumers;
        this.taskInstancesOfRun = taskInstancesOfRun;
    }

    @Override
    public String kind() {
        return DagDependencies.Kind.DATASET.wireName();
    }

    @Override
    public List<Reach> follow(TaskInstanceRecord cleared) {
        return consumers.of(cleared.dagId(), cleared.taskId(), cleared.runId()).stream()
                .map(run -> new Reach(taskInstancesOfRun.apply(run.id()), true))
                .filter(reach -> !reach.taskInstances().isEmpty())
                .toList();
    }
}
