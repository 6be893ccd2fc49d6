package dev.weft.engine.store;

import dev.weft.spi.TaskState;

/** How many task instances of one task hold (queued, running) or wait for (scheduled) slots, and how many slots. */
public record SlotHolder(String dagId, String taskId, String pool, TaskState state, int tasks, int slots) {
}
