package dev.weft.engine.store;

import dev.weft.spi.TaskState;

/** The little the scheduler needs of a task instance to decide what happens next. */
public record TaskStateRow(long id, long runPk, String taskId, TaskState state, int tryNumber, int maxTries) {
}
