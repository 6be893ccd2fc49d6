package dev.weft.server;

import dev.weft.engine.EngineLoops;
import dev.weft.engine.Signal;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.executor.TaskRunnerFactory;
import dev.weft.engine.executor.Worker;
import dev.weft.engine.json.Json;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.runs.EngineDagRuns;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.Scheduler;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.store.EmbeddedDatabase;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;

/** The one composition root: configuration in, objects wired by constructor, lifecycles handed to Dropwizard. */
public class WeftApplication extends Application<WeftConfiguration> {

    public static void main(String[] args) throws Exception {
        new WeftApplication().run(args);
    }

    @Override
    public String getName() {
        return "weft";
    }

    @Override
    public void initialize(Bootstrap<WeftConfiguration> bootstrap) {
        Json.configure(bootstrap.getObjectMapper());
        bootstrap.addCommand(new StandaloneCommand(this));
    }

    @Override
    public void run(WeftConfiguration config, Environment environment) {
        Path home = Path.of(config.getWeftHome());
        Clock clock = Clock.systemUTC();

        DataSourceFactory dataSourceFactory = dataSourceFactory(config, home, environment);
        ManagedDataSource migrations = dataSourceFactory.build(environment.metrics(), "weft-migrations");
        try {
            WeftDatabase.migrate(migrations);
        } finally {
            stopQuietly(migrations);
        }
        ManagedDataSource dataSource = dataSourceFactory.build(environment.metrics(), "weft");
        environment.lifecycle().manage(dataSource);
        WeftDatabase db = new WeftDatabase(dataSource);
        if (config.isCreateAdminUser()) {
            StandaloneCommand.ensureAdmin(db.users(), home);
        }

        PluginRegistry plugins = PluginRegistry.load(getClass().getClassLoader(), home.resolve("plugins"));
        DagCatalog catalog = new DagCatalog(db.dags());
        Signal schedulerSignal = new Signal();
        Signal workerSignal = new Signal();
        RunFactory runFactory = new RunFactory(db.runs(), clock);
        RunService runService = new RunService(db.dags(), db.runs(), db.taskInstances(), catalog, runFactory,
                schedulerSignal, clock);
        DagRegistry registry = new DagRegistry(db.dags(), catalog, plugins, config.isDagsArePausedAtCreation(), clock);
        if (config.isLoadExamples()) {
            registry.registerProviders(getClass().getClassLoader(), "examples");
        }

        Scheduler scheduler = config.isRunScheduler() ? new Scheduler(db.dags(), db.runs(), db.taskInstances(),
                db.logs(), catalog, runFactory, new Scheduler.Settings(config.getParallelism(),
                Duration.ofSeconds(config.getWorkerLostAfterSeconds()), Duration.ofSeconds(5)), clock) : null;
        Worker worker = null;
        if (config.getWorkerSlots() > 0) {
            TaskRunnerFactory runners = new TaskRunnerFactory(new TemplateRenderer(),
                    key -> new EngineDagRuns(runService, db.dags(), db.runs(), db.taskInstances(), catalog, key),
                    registry::classLoaderOf, home.resolve("work"), clock);
            worker = new Worker(db.taskInstances(), db.runs(), db.logs(), db.workers(), catalog, plugins, runners,
                    new Worker.Settings(hostname() + "-" + UUID.randomUUID().toString().substring(0, 8), hostname(),
                            ProcessHandle.current().pid(), config.getWorkerSlots(), Duration.ofSeconds(3),
                            Duration.ofSeconds(10)),
                    clock, Executors.newVirtualThreadPerTaskExecutor(), workerSignal, schedulerSignal);
        }
        EngineLoops loops = new EngineLoops(scheduler, worker, schedulerSignal, workerSignal, Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                loops.start();
            }

            @Override
            public void stop() {
                loops.close();
            }
        });

        environment.jersey().register(new HealthResource(db.jdbi()));
        environment.jersey().register(new HomeResource(db.dags()));
    }

    private static DataSourceFactory dataSourceFactory(WeftConfiguration config, Path home, Environment environment) {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        String url = config.getDatabaseUrl();
        if (url == null || url.isBlank()) {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(home.resolve("postgres"), 0);
            // Managed objects stop in reverse order: the embedded server stops after everything that uses it.
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() {
                    embedded.close();
                }
            });
            url = embedded.jdbcUrl();
            factory.setUser("postgres");
        } else {
            factory.setUser(config.getDatabaseUser() == null ? "" : config.getDatabaseUser());
            factory.setPassword(config.getDatabasePassword());
        }
        factory.setUrl(url);
        factory.setMaxSize(32);
        factory.setMinSize(2);
        factory.setInitialSize(2);
        factory.setValidationQuery("/* weft health check */ SELECT 1");
        return factory;
    }

    private static void stopQuietly(ManagedDataSource dataSource) {
        try {
            dataSource.stop();
        } catch (Exception ignored) {
            // a pool that fails to close has nothing left to lose
        }
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
