package dev.weft.server;

import dev.weft.engine.EngineLoops;
import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Signal;
import dev.weft.engine.dag.DagBundles;
import dev.weft.engine.datasets.DatasetFeeds;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.Wakeups;
import dev.weft.engine.callbacks.CallbackRunner;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagClassLoaders;
import dev.weft.engine.dag.DagProcessor;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.executor.FileWatcher;
import dev.weft.engine.executor.TaskRunnerFactory;
import dev.weft.engine.executor.Worker;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.runs.EngineDagRuns;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.MiniScheduler;
import dev.weft.engine.scheduler.Scheduler;
import dev.weft.engine.scheduler.SchedulerHeartbeat;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretKeys;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.store.NotifyWakeups;
import dev.weft.store.WakeupListener;
import dev.weft.store.WeftDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Weft's object graph, wired by constructor from a migrated database and the settings: plugins, DAG registry,
 * services, scheduler and worker loops, and the wake-ups that reach the loops of the other processes on the same
 * database. The server builds one; so does the benchmark. No HTTP types here.
 */
public final class WeftRuntime implements AutoCloseable {
    /** What the runtime is built from. */
    public record Settings(Path home, int parallelism, int workerSlots, boolean runScheduler,
                           boolean dagsArePausedAtCreation, Duration workerLostAfter, Duration sensorDeadlockAfter,
                           Duration tick, Path dagsFolder, Duration dagsFolderScanInterval, long dagBundleMaxBytes,
                           long maxLogBytesPerTry, String secretKey, List<String> previousSecretKeys,
                           List<String> sensitiveNames, int xcomMaxBytes) {
        public static Settings of(WeftConfiguration config) {
            return new Settings(Path.of(config.getWeftHome()), config.getParallelism(), config.getWorkerSlots(),
                    config.isRunScheduler(), config.isDagsArePausedAtCreation(),
                    Duration.ofSeconds(config.getWorkerLostAfterSeconds()),
                    Duration.ofSeconds(config.getSensorDeadlockAfterSeconds()), Duration.ofSeconds(1),
                    // The DAG processor runs beside the scheduler: an API server without one only reads the DAGs.
                    config.isRunScheduler() ? config.dagsFolderPath() : null,
                    Duration.ofSeconds(config.getDagsFolderScanIntervalSeconds()),
                    config.getDagBundleMaxMegabytes() * 1_048_576L, config.getMaxLogBytesPerTry(),
                    config.getSecretKey(), config.getPreviousSecretKeys(), config.getSensitiveVarConnNames(),
                    config.getXcomMaxBytes());
        }

        /** Where this process keeps its copies of DAG bundle versions. */
        Path bundleCache() {
            return home.resolve("cache").resolve("bundles");
        }

        /** What {@code ${env:NAME}} in DAG files may use: the environment, with WEFT_HOME and WEFT_DATA_DIR always set. */
        Map<String, String> dagFileVariables() {
            Map<String, String> variables = new HashMap<>(System.getenv());
            variables.put("WEFT_HOME", home.toString());
            variables.putIfAbsent("WEFT_DATA_DIR", home.resolve("data").toString());
            return variables;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WeftRuntime.class);
    /** How long a worker holds a callback it runs: another one runs it again only after that (see docs/callbacks.md). */
    private static final Duration CALLBACK_LEASE = Duration.ofMinutes(5);
    private final WeftDatabase db;
    private final PluginRegistry plugins;
    private final DagCatalog catalog;
    private final DagRegistry registry;
    private final RunService runService;
    private final Datasets datasets;
    private final EngineLoops loops;
    private final DagProcessor dagProcessor;
    private final FileWatcher files;
    private final DatasetFeeds datasetFeeds;
    private final SecretKeys secretKeys;
    private final Variables variables;
    private final XComs xcoms;
    private final Connections connections;
    private TemplateRenderer templates;
    private final NotifyWakeups notifications;
    private final WakeupListener listener;
    private final SchedulerHeartbeat schedulerHeartbeat;

    /**
     * @param listening opens the connection on which this process hears the other processes' wake-ups (PostgreSQL
     *                  {@code LISTEN}), outside the pool
     * @param metrics   is told of the engine's events (none: {@link EngineMetrics#NONE})
     */
    public WeftRuntime(WeftDatabase db, Settings settings, Clock clock, WakeupListener.Connections listening,
                       EngineMetrics metrics) {
        this.db = db;
        db.settingWarnings().forEach(LOG::warn);
        this.plugins = PluginRegistry.load(getClass().getClassLoader(), settings.home().resolve("plugins"));
        this.catalog = new DagCatalog(db.dags());
        this.secretKeys = SecretKeys.load(settings.secretKey(), settings.home());
        SecretCipher cipher = secretKeys.cipher(settings.previousSecretKeys());
        SensitiveNames sensitive = new SensitiveNames(settings.sensitiveNames());
        this.variables = new Variables(db.variables(), cipher, sensitive, clock);
        this.connections = new Connections(db.connections(), cipher, sensitive, clock, System::getenv);
        this.xcoms = new XComs(db.xcoms(), cipher, settings.xcomMaxBytes(), clock);
        Signal schedulerSignal = new Signal();
        Signal workerSignal = new Signal();
        String host = hostname();
        // This process's loops are woken in-process (no round trip), the other processes' through the database.
        String processId = host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        this.notifications = new NotifyWakeups(listening, db.heartbeats(), processId, clock, metrics);
        Runnable schedulerHere = settings.runScheduler() ? schedulerSignal::signal : () -> { };
        Wakeups schedulersEverywhere = Wakeups.of(schedulerHere, () -> { }).and(notifications);
        RunFactory runFactory = new RunFactory(db.runs(), clock);
        this.runService = new RunService(db.dags(), db.runs(), db.taskInstances(), db.datasets(), db.transactor(),
                catalog, runFactory, schedulersEverywhere, clock);
        // A posted dataset event wakes the schedulers at once, here and in the other processes.
        this.datasets = new Datasets(db.datasets(), db.dags(), db.runs(), schedulersEverywhere, clock);
        this.registry = new DagRegistry(db.dags(), catalog, plugins, settings.dagsArePausedAtCreation(), clock,
                db.importErrors());
        // Bundle jars by version: the DAG processor stores them, workers of any process fetch what they run.
        DagBundles bundles = new DagBundles(db.bundles(), settings.bundleCache(), settings.dagBundleMaxBytes(),
                plugins, clock);
        this.dagProcessor = settings.dagsFolder() == null ? null : new DagProcessor(registry, db.dags(), bundles,
                new DagProcessor.Settings(settings.dagsFolder(), settings.dagsFolderScanInterval(),
                        settings.dagFileVariables()), metrics);
        Worker worker = null;
        CallbackRunner callbacks = null;
        // Wakes the waiting file sensors on file-system events (the poke interval stays the fallback): a due
        // reschedule-mode sensor is claimed by this worker, or by another one when this one has no free slot.
        this.files = settings.workerSlots() > 0 ? new FileWatcher(db.sensorWakes(), () -> {
            workerSignal.signal();
            notifications.notifyWorkers();
        }, clock) : null;
        // Folders feeding datasets are watched where the file watcher is (each worker process): the events'
        // idempotency keys make one event of an upload however many processes see it.
        this.datasetFeeds = files == null ? null : new DatasetFeeds(db.dags(), datasets, files, clock,
                Duration.ofSeconds(30));
        if (settings.workerSlots() > 0) {
            DagClassLoaders dagClassLoaders = new DagClassLoaders(registry, catalog, bundles);
            TaskRunnerFactory runners = new TaskRunnerFactory(templates(), variables, xcoms, connections,
                    key -> new EngineDagRuns(runService, db.dags(), db.runs(), db.taskInstances(), catalog, key),
                    dagClassLoaders::of, settings.home().resolve("work"), clock, files, metrics, db.datasets());
            String workerId = host + "-" + UUID.randomUUID().toString().substring(0, 8);
            // The worker's own pass claims what its write-back queued: it wakes only the other processes' workers.
            worker = new Worker(db.taskInstances(), db.runs(), db.logs(), db.workers(), catalog, plugins, runners,
                    new Worker.Settings(workerId, host,
                            ProcessHandle.current().pid(), settings.workerSlots(), heartbeatEvery(settings),
                            Duration.ofSeconds(10), settings.workerLostAfter(), settings.maxLogBytesPerTry()),
                    clock, Executors.newVirtualThreadPerTaskExecutor(), workerSignal, schedulersEverywhere,
                    new MiniScheduler(catalog, settings.parallelism()), metrics);
            // Workers run the callbacks, the tries' and the runs': they have the plugins and the DAGs' code.
            callbacks = new CallbackRunner(db.callbacks(), db.runs(), db.logs(), catalog, plugins,
                    dagClassLoaders::of, templates(), variables, connections, new CallbackRunner.Settings(workerId,
                    CALLBACK_LEASE, settings.home().resolve("work")), clock);
        }
        // Queued work wakes this process's worker (its next pass then claims first) and the other processes'.
        Wakeups here = Wakeups.of(schedulerHere, worker != null ? worker::workQueued : () -> { });
        Wakeups everywhere = here.and(notifications);
        this.schedulerHeartbeat = settings.runScheduler() ? new SchedulerHeartbeat(db.heartbeats(),
                new SchedulerHeartbeat.Identity(processId, host, ProcessHandle.current().pid()),
                Duration.ofSeconds(5), clock) : null;
        Scheduler scheduler = settings.runScheduler() ? new Scheduler(db.dags(), db.runs(), db.taskInstances(),
                db.datasets(), db.transactor(), db.logs(), db.pools(), catalog, plugins::isSensorType, runFactory,
                new Scheduler.Settings(settings.parallelism(), settings.workerLostAfter(), Duration.ofSeconds(5),
                        settings.sensorDeadlockAfter()), clock, everywhere::notifyWorkers, schedulerHeartbeat,
                metrics) : null;
        this.loops = new EngineLoops(scheduler, worker, callbacks, schedulerSignal, workerSignal, settings.tick(),
                Duration.ofSeconds(10), db.transactor());
        this.listener = new WakeupListener(listening, processId, here, scheduler != null, worker != null,
                metrics);
    }

    /** Starts the scheduler and worker loops. */
    public void start() {
        if (dagProcessor != null) {
            dagProcessor.start();
        }
        listener.start();
        loops.start();
        if (datasetFeeds != null) {
            datasetFeeds.start();
        }
    }

    @Override
    public void close() {
        if (dagProcessor != null) {
            dagProcessor.close();
        }
        listener.close();
        loops.close();
        if (datasetFeeds != null) {
            datasetFeeds.close();
        }
        if (files != null) {
            files.close();
        }
        notifications.close();
        if (schedulerHeartbeat != null) {
            try {
                schedulerHeartbeat.stopped();
            } catch (RuntimeException e) {
                LOG.warn("Could not record that this scheduler stopped; health lists it until its heartbeat is old", e);
            }
        }
    }

    /** Whether this process's scheduler and worker loops run (true when it has none, once started). */
    public boolean alive() {
        return loops.alive();
    }

    /** The DAGs folder's processor, or null when the runtime has no DAGs folder. */
    public DagProcessor dagProcessor() {
        return dagProcessor;
    }

    public WeftDatabase database() {
        return db;
    }

    public PluginRegistry plugins() {
        return plugins;
    }

    /** The one Jinja renderer (costly to build, so made on first use): the worker's and the UI's. */
    public synchronized TemplateRenderer templates() {
        if (templates == null) {
            templates = new TemplateRenderer();
        }
        return templates;
    }

    /** The keys derived from the installation's secret (signing, encryption). */
    public SecretKeys secretKeys() {
        return secretKeys;
    }

    public Variables variables() {
        return variables;
    }

    public XComs xcoms() {
        return xcoms;
    }

    public Connections connections() {
        return connections;
    }

    public DagCatalog catalog() {
        return catalog;
    }

    public DagRegistry registry() {
        return registry;
    }

    public RunService runs() {
        return runService;
    }

    public Datasets datasets() {
        return datasets;
    }

    /** Every 3 s, or more often under a short worker-lost limit: a worker fences itself after 3/4 of it. */
    static Duration heartbeatEvery(Settings settings) {
        Duration tenth = settings.workerLostAfter().dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(3)) < 0 ? tenth : Duration.ofSeconds(3);
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
