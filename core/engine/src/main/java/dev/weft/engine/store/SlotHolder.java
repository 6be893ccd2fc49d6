package dev.weft.engine.store;

import dev.weft.spi.TaskState;

/**
 * How many task instances of one task hold (queued, running) slots, or of one DAG and pool wait for them (scheduled,
 * or a due re-poke; {@code taskId} null), and how many slots.
 */
public record SlotHolder(String dagId, String taskId, String pool, TaskState state, int tasks, int slots) {
}
