package dev.weft.store.engine;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.Signal;
import dev.weft.engine.Wakeups;
import dev.weft.engine.callbacks.CallbackRunner;
import dev.weft.engine.dag.DagBundles;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagClassLoaders;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.executor.FileWatcher;
import dev.weft.engine.executor.TaskRunnerFactory;
import dev.weft.engine.executor.Worker;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.runs.EngineDagRuns;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.MiniScheduler;
import dev.weft.engine.scheduler.Scheduler;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.WorkerStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import dev.weft.store.TestDatabase;
import dev.weft.store.WeftDatabase;
import dev.weft.testkit.ManualClock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The engine on a real PostgreSQL with a manual clock: scheduler and worker passes are run by the test, tasks run
 * on the test's thread (or on a real pool when a test needs concurrency). No sleeps decide anything.
 * Public so that tests of other modules (the example DAGs) can use it through the store's test-jar.
 */
public final class EngineHarness implements AutoCloseable {
    public static final TemplateRenderer TEMPLATES = new TemplateRenderer();
    public static final Duration WORKER_LOST_AFTER = Duration.ofSeconds(30);

    public final TestDatabase testDb = TestDatabase.create();
    public final WeftDatabase db = testDb.database();
    public final ManualClock clock;
    public final PluginRegistry plugins = PluginRegistry.load(EngineHarness.class.getClassLoader(), null);
    public final DagCatalog catalog = new DagCatalog(db.dags());
    public final Signal signal = new Signal();
    /** What the services and workers wake: the harness's scheduler {@link #signal}. */
    private final Wakeups wakeups = Wakeups.of(signal::signal, () -> { });
    public final RunFactory runFactory;
    public final RunService runs;
    public final DagRegistry registry;
    /** What callables resolve through, as in a server: the registering loader, else the DAG's bundle versions. */
    private final DagClassLoaders dagClassLoaders;
    public final Scheduler scheduler;
    /** Wakes waiting sensors that declare the files they wait for; its events make tries due at the manual clock. */
    public final FileWatcher files;
    /** Variables in the test database, encrypted with a fixed test key. */
    public final Variables variables;
    public final XComs xcoms;
    /** Connections in the test database (same key); {@link #environment} stands for the process's variables. */
    public final Connections connections;
    public final Map<String, String> environment = new ConcurrentHashMap<>();
    private final Worker worker;
    private final int parallelism;

    public EngineHarness(Instant now) {
        this(now, 32, 32, false);
    }

    /** Tasks run inline, each after the clock moved {@code tickPerTask}, so tries do not share one instant. */
    public EngineHarness(Instant now, Duration tickPerTask) {
        this(now, 32, 32, false, tickPerTask);
    }

    public EngineHarness(Instant now, int parallelism, int slots, boolean threadPool) {
        this(now, parallelism, slots, threadPool, Duration.ZERO);
    }

    private EngineHarness(Instant now, int parallelism, int slots, boolean threadPool, Duration tickPerTask) {
        clock = new ManualClock(now);
        this.parallelism = parallelism;
        runFactory = new RunFactory(db.runs(), clock);
        variables = new Variables(db.variables(), new SecretCipher(new byte[32]), SensitiveNames.DEFAULT, clock);
        xcoms = new XComs(db.xcoms(), new SecretCipher(new byte[32]), XComs.DEFAULT_MAX_BYTES, clock);
        connections = new Connections(db.connections(), new SecretCipher(new byte[32]), SensitiveNames.DEFAULT, clock,
                environment::get);
        files = new FileWatcher(db.sensorWakes(), signal::signal, clock);
        runs = new RunService(db.dags(), db.runs(), db.taskInstances(), db.datasets(), db.transactor(), catalog,
                runFactory, wakeups, clock);
        registry = new DagRegistry(db.dags(), catalog, plugins, false, clock);
        dagClassLoaders = new DagClassLoaders(registry, catalog, new DagBundles(db.bundles(),
                Path.of(System.getProperty("java.io.tmpdir"), "weft-test-bundles"), 64L << 20, plugins, clock));
        scheduler = scheduler(db.taskInstances());
        worker = worker("worker-1", slots, threadPool ? Executors.newFixedThreadPool(slots)
                : new InlineExecutor(() -> clock.advance(tickPerTask)));
        worker.register();
    }

    /** A scheduler like the harness's own, reading and writing task instances through {@code taskInstances}. */
    public Scheduler scheduler(TaskInstanceStore taskInstances) {
        return scheduler(taskInstances, clock);
    }

    /** A scheduler like the harness's own on its own clock. */
    public Scheduler scheduler(TaskInstanceStore taskInstances, Clock schedulerClock) {
        return new Scheduler(db.dags(), db.runs(), taskInstances, db.datasets(), db.transactor(), db.logs(), db.pools(),
                catalog, plugins::isSensorType, runFactory,
                new Scheduler.Settings(parallelism, WORKER_LOST_AFTER, Duration.ofSeconds(5),
                        Duration.ofMinutes(5)), schedulerClock);
    }

    public Worker worker(String id, int slots, ExecutorService threads) {
        return worker(id, slots, threads, clock, null);
    }

    /** A worker on its own clock whose store ports fail as {@code faults} says (null: none). */
    public Worker worker(String id, int slots, ExecutorService threads, Clock workerClock, StoreFaults faults) {
        TaskRunnerFactory runners = new TaskRunnerFactory(TEMPLATES, variables, xcoms, connections,
                key -> new EngineDagRuns(runs, db.dags(), db.runs(), db.taskInstances(), catalog, key),
                dagClassLoaders::of, Path.of(System.getProperty("java.io.tmpdir"), "weft-test-work"), workerClock, files,
                EngineMetrics.NONE, db.datasets());
        return new Worker(port(TaskInstanceStore.class, db.taskInstances(), faults),
                port(RunStore.class, db.runs(), faults), port(LogStore.class, db.logs(), faults),
                port(WorkerStore.class, db.workers(), faults), catalog, plugins, runners,
                new Worker.Settings(id, "localhost", 1, slots, Duration.ofSeconds(3), Duration.ofSeconds(10),
                        WORKER_LOST_AFTER),
                workerClock, threads, new Signal(), wakeups, new MiniScheduler(catalog, parallelism),
                EngineMetrics.NONE);
    }

    /** Runs the stored callbacks as a worker process named {@code owner} does, with a lease of {@code lease}. */
    public CallbackRunner callbackRunner(String owner, Duration lease) {
        return new CallbackRunner(db.callbacks(), db.runs(), db.logs(), catalog, plugins, dagClassLoaders::of,
                TEMPLATES, variables, connections, new CallbackRunner.Settings(owner, lease,
                Path.of(System.getProperty("java.io.tmpdir"), "weft-test-work")), clock);
    }

    private static <T> T port(Class<T> type, T store, StoreFaults faults) {
        return faults == null ? store : faults.wrap(type, store);
    }

    public void register(DagSpec... specs) {
        for (DagSpec spec : specs) {
            List<String> problems = registry.register(spec, getClass().getClassLoader(), "test");
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.toString());
            }
        }
    }

    /** Runs scheduler and worker passes until neither has anything to do. */
    public void settle() {
        settle(scheduler);
    }

    /** Runs passes of the given scheduler and of the worker until neither has anything to do. */
    public void settle(Scheduler scheduler) {
        for (int i = 0; i < 10_000; i++) {
            // The worker first: its heartbeat must not look stale to the scheduler after the clock jumped.
            worker.heartbeat();
            boolean b = worker.runOnce();
            boolean a = scheduler.runOnce();
            if (!a && !b) {
                return;
            }
        }
        throw new IllegalStateException("the engine did not settle");
    }

    /** Worker passes only, e.g. to flush outcomes of tries that ran on a pool. */
    public boolean workerPass() {
        return worker.runOnce();
    }

    public List<RunRecord> runsOf(String dagId) {
        return db.runs().list(dagId);
    }

    public Map<String, TaskState> states(String dagId, String runId) {
        RunRecord run = db.runs().find(dagId, runId).orElseThrow();
        Map<String, TaskState> states = new LinkedHashMap<>();
        for (TaskInstanceRecord ti : db.taskInstances().ofRun(run.id())) {
            states.put(ti.taskId(), ti.state());
        }
        return states;
    }

    public TaskInstanceRecord ti(String dagId, String runId, String taskId) {
        return db.taskInstances().find(dagId, runId, taskId).orElseThrow();
    }

    public List<String> log(String dagId, String runId, String taskId, int tryNumber) {
        return db.logs().read(ti(dagId, runId, taskId).id(), tryNumber, 0, 10_000).lines();
    }

    @Override
    public void close() {
        worker.stop(Duration.ofSeconds(5));
        files.close();
        testDb.close();
    }

    /**
     * Runs each task on the calling thread, so a worker pass runs its tries to completion; {@code beforeEach} runs
     * first (e.g. to move a manual clock).
     */
    static final class InlineExecutor extends AbstractExecutorService {
        private final Runnable beforeEach;
        private volatile boolean shutdown;

        InlineExecutor() {
            this(() -> { });
        }

        InlineExecutor(Runnable beforeEach) {
            this.beforeEach = beforeEach;
        }

        @Override
        public void execute(Runnable command) {
            beforeEach.run();
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
