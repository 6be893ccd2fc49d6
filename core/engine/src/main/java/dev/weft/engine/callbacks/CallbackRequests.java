package dev.weft.engine.callbacks;

import dev.weft.engine.store.CallbackRequest;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.TaskSpec;

import java.util.List;

/** Which callbacks an ended try or run calls for (Airflow's rules), as requests to store with the state. */
public final class CallbackRequests {
    private CallbackRequests() {
    }

    /**
     * The callbacks of a try that ended in {@code state}: success, failure (failed for good) or retry (up for retry);
     * null when the task has none for it, or the state calls for none (skipped, rescheduled).
     */
    public static CallbackRequest forTry(TaskSpec task, long tiId, long runPk, String dagId, String runId,
                                         int tryNumber, TaskState state, String error) {
        Callbacks.Event event = switch (state) {
            case SUCCESS -> Callbacks.Event.ON_SUCCESS_CALLBACK;
            case FAILED -> Callbacks.Event.ON_FAILURE_CALLBACK;
            case UP_FOR_RETRY -> Callbacks.Event.ON_RETRY_CALLBACK;
            default -> null;
        };
        if (task == null || event == null || task.callbacks().of(event).isEmpty()) {
            return null;
        }
        return new CallbackRequest(0, runPk, tiId, tryNumber, dagId, runId, task.taskId(), event, state.wireName(),
                state == TaskState.SUCCESS ? null : error, task.callbacks().of(event));
    }

    /**
     * The callbacks of a run whose task instances decided its end (not a timeout): Airflow's reason is "success" or
     * "task_failure"; null when the DAG has none.
     */
    public static CallbackRequest forRunDecided(DagSpec dag, long runPk, String runId, RunState state) {
        return forRun(dag, runPk, runId, state, state == RunState.SUCCESS ? "success" : "task_failure");
    }

    /** The callbacks of a run that ended in {@code state}, with Airflow's reason; null when the DAG has none. */
    public static CallbackRequest forRun(DagSpec dag, long runPk, String runId, RunState state, String reason) {
        Callbacks.Event event = state == RunState.SUCCESS ? Callbacks.Event.ON_SUCCESS_CALLBACK
                : Callbacks.Event.ON_FAILURE_CALLBACK;
        List<Callback> callbacks = dag.callbacks().of(event);
        if (callbacks.isEmpty()) {
            return null;
        }
        return new CallbackRequest(0, runPk, null, 0, dag.dagId(), runId, null, event, state.wireName(), reason,
                callbacks);
    }
}
