package dev.weft.engine.store;

import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.Map;

/**
 * How a claimed try ended, written back in a batch. {@code state} is success, skipped, failed, up_for_retry or
 * up_for_reschedule; {@code nextAttemptAt} is set for the last two. For a reschedule the sensor fields are kept and
 * a task_reschedule row is written; otherwise the try is recorded in the task's history.
 */
public record TryOutcome(long id, long runPk, int tryNumber, TaskState state, Instant startDate, Instant endDate,
                         Instant nextAttemptAt, String outputJson, Instant firstPokeAt, int pokeCount,
                         Map<String, String> sensorMemo, String plugin, String pluginVersion) {
}
