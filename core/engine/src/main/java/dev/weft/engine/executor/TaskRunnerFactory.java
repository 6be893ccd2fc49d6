package dev.weft.engine.executor;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.DagRuns;
import dev.weft.spi.TaskKey;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a worker needs to run plugin code: templating, variables, XComs, connections, the DAG-runs capability, DAG
 * class loaders.
 */
public final class TaskRunnerFactory {
    private final TemplateRenderer templates;
    private final Variables variables;
    private final XComs xcoms;
    private final Connections connections;
    private final Function<TaskKey, DagRuns> dagRuns;
    private final Function<String, ClassLoader> dagClassLoaders;
    private final Path workDirectory;
    private final Clock clock;
    private final FileWatcher files;
    private final EngineMetrics metrics;
    private final DatasetStore datasets;

    /**
     * {@code files} wakes waiting sensors that declare the files they wait for; {@code metrics} counts pokes;
     * {@code datasets} gives a dataset-triggered run's templates its {@code triggering_dataset_events}.
     */
    public TaskRunnerFactory(TemplateRenderer templates, Variables variables, XComs xcoms, Connections connections,
                             Function<TaskKey, DagRuns> dagRuns,
                             Function<String, ClassLoader> dagClassLoaders, Path workDirectory, Clock clock,
                             FileWatcher files, EngineMetrics metrics, DatasetStore datasets) {
        this.datasets = datasets;
        this.files = files;
        this.metrics = metrics;
        this.templates = templates;
        this.variables = variables;
        this.xcoms = xcoms;
        this.connections = connections;
        this.dagRuns = dagRuns;
        this.dagClassLoaders = dagClassLoaders;
        this.workDirectory = workDirectory;
        this.clock = clock;
    }

    /** {@code wakeWorker} makes the worker run a pass (a waiting poke-mode try was asked to poke now). */
    TaskRunner create(Consumer<LogStore.Line> logSink, Runnable wakeWorker) {
        return new TaskRunner(templates, variables, xcoms, connections, dagRuns, dagClassLoaders, logSink,
                workDirectory, clock, files, wakeWorker, metrics, datasets);
    }
}
