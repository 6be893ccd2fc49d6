package dev.weft.engine.store;

import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskKey;

import java.time.Instant;
import java.util.Map;

/** What is needed to create a run; {@code triggeredBy} is the task that triggered it, or null. */
public record NewRun(String dagId, String runId, RunType runType, Instant logicalDate, DataInterval dataInterval,
                     boolean externalTrigger, Map<String, Object> conf, String note, TaskKey triggeredBy) {
}
