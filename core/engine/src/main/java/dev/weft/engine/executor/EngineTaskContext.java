package dev.weft.engine.executor;

import dev.weft.spi.Cancellation;
import dev.weft.spi.DagRuns;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.SensorContext;
import dev.weft.spi.TaskKey;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** The context the engine hands to operators and sensors for one try. */
record EngineTaskContext(TaskKey taskKey, RunType runType, Instant logicalDate, DataInterval dataInterval,
                         Map<String, Object> conf, Map<String, Object> params, Logger log, Clock clock,
                         Cancellation cancellation, DagRuns dagRuns, ClassLoader dagClassLoader,
                         Map<String, String> memo, Instant firstPokeAt, int pokeNumber) implements SensorContext {
}
