package dev.weft.engine.runs;

/** The DAG has no task with that id, or the run has no task instance for it. */
public class TaskNotFoundException extends RuntimeException {
    public TaskNotFoundException(String message) {
        super(message);
    }
}
