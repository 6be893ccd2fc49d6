package dev.weft.engine.executor;

import dev.weft.engine.connections.TryConnections;
import dev.weft.engine.variables.TryVariables;
import dev.weft.engine.xcom.TryXComs;
import dev.weft.spi.Cancellation;
import dev.weft.spi.Connection;
import dev.weft.spi.DagRuns;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.SensorContext;
import dev.weft.spi.TaskKey;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The context the engine hands to operators and sensors for one try. The DAG's class loader is looked up when the
 * code asks for it: a task that runs no DAG code never needs its bundle, and one that does fails if it cannot load.
 * The next data interval is computed when asked for too: most tries never need it.
 */
record EngineTaskContext(TaskKey taskKey, RunType runType, Instant logicalDate, DataInterval dataInterval,
                         Supplier<Optional<DataInterval>> followingInterval,
                         Map<String, Object> conf, Map<String, Object> params, Logger log, Clock clock,
                         Cancellation cancellation, DagRuns dagRuns, Supplier<ClassLoader> dagCode,
                         Map<String, String> memo, Instant firstPokeAt, int pokeNumber,
                         TryVariables variables, TryXComs xcoms, TryConnections connections)
        implements SensorContext {
    @Override
    public ClassLoader dagClassLoader() {
        return dagCode.get();
    }

    @Override
    public Optional<DataInterval> nextDataInterval() {
        return followingInterval.get();
    }

    @Override
    public Optional<String> variable(String key) {
        return variables.value(key);
    }

    @Override
    public void xcomPush(String key, Object value) {
        xcoms.push(key, value);
    }

    @Override
    public Optional<Object> xcomPull(String taskId, String key) {
        return xcoms.pull(taskId, key);
    }

    @Override
    public Optional<Connection> connection(String connId) {
        return connections.connection(connId);
    }
}
