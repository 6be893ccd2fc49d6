package dev.weft.engine.store;

import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.Map;

/** A task instance as stored. */
public record TaskInstanceRecord(long id, long runPk, String dagId, String runId, String taskId, TaskState state,
                                 int tryNumber, int maxTries, int priorityWeight, String pool, int poolSlots,
                                 String operator, Instant logicalDate, Instant queuedAt, Instant startDate,
                                 Instant endDate, Double duration, Instant nextAttemptAt, String workerId,
                                 String hostname, Instant firstPokeAt, int pokeCount, Map<String, Object> sensorMemo,
                                 String output, String plugin, String pluginVersion, String note, Instant updatedAt) {
}
