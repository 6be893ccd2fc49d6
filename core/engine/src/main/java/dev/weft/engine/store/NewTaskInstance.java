package dev.weft.engine.store;

/** A task instance to create with its run. */
public record NewTaskInstance(String taskId, String operator, int maxTries, int priorityWeight, String pool,
                              int poolSlots) {
}
