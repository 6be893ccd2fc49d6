package dev.weft.engine.store;

import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;

import java.util.List;

/**
 * Callbacks to run once for one event: a task try that ended (written with its outcome, in the same transaction) or a
 * run that ended (written with the run's state). The callbacks are copied from the spec when the event happens, so
 * a DAG changed afterwards does not change what runs.
 *
 * @param id        the stored request's id (0 before it is stored)
 * @param tiId      the task instance, or null for a run's callbacks
 * @param tryNumber the try, or 0 for a run's callbacks
 * @param taskId    the task, or null for a run's callbacks
 * @param state     the state reached, as Airflow names it ({@code failed}, {@code up_for_retry}, {@code success})
 * @param error     why the try failed, or the run's reason ({@code task_failure}, {@code timed_out}); may be null
 */
public record CallbackRequest(long id, long runPk, Long tiId, int tryNumber, String dagId, String runId,
                              String taskId, Callbacks.Event event, String state, String error,
                              List<Callback> callbacks) {
    public CallbackRequest {
        callbacks = List.copyOf(callbacks);
    }

    public boolean isForTask() {
        return tiId != null;
    }
}
