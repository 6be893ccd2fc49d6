package dev.weft.engine.runs;

import dev.weft.engine.store.TaskInstanceRecord;

import java.util.List;

/**
 * One kind of link between DAGs that a recursive clear follows: from a task instance it clears to the task instances
 * of other runs that must run again with it. Each kind is one small class; {@link RecursiveClear} walks them all.
 */
public interface ClearEdge {
    /**
     * The kind's name, as the preview, the API and the docs say it: {@code trigger}, {@code external_sensor},
     * {@code dataset}.
     */
    String kind();

    /** The runs {@code cleared} reaches, each with the task instances of it to clear. */
    List<Reach> follow(TaskInstanceRecord cleared);

    /**
     * Task instances of one run reached through an edge.
     *
     * @param taskInstances   what to clear in that run
     * @param awaitsTrigger   the run must not start again before the cleared task, which started it (triggered it,
     *                        or produced an event it consumed), runs again
     */
    record Reach(List<TaskInstanceRecord> taskInstances, boolean awaitsTrigger) {
        public Reach {
            taskInstances = List.copyOf(taskInstances);
        }
    }
}
