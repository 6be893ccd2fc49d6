package dev.weft.engine.executor;

import dev.weft.spi.Cancellation;
import dev.weft.spi.DagRuns;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.SensorContext;
import dev.weft.spi.TaskKey;
import dev.weft.engine.variables.TryVariables;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The context the engine hands to operators and sensors for one try. */
record EngineTaskContext(TaskKey taskKey, RunType runType, Instant logicalDate, DataInterval dataInterval,
                         Map<String, Object> conf, Map<String, Object> params, Logger log, Clock clock,
                         Cancellation cancellation, DagRuns dagRuns, ClassLoader dagClassLoader,
                         Map<String, String> memo, Instant firstPokeAt, int pokeNumber,
                         TryVariables variables) implements SensorContext {
    @Override
    public Optional<String> variable(String key) {
        return variables.value(key);
    }
}
