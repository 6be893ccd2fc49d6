package dev.weft.server;

import com.codahale.metrics.MetricRegistry;
import dev.weft.engine.auth.Authenticator;
import dev.weft.server.metrics.MetricsHttpServer;
import dev.weft.server.metrics.PrometheusEngineMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weft scheduler CONFIG.yml} (DAG processing and the scheduler loop) and {@code weft worker CONFIG.yml} (the
 * worker only), each in its own process. They meet only in the database, so they need a PostgreSQL server
 * ({@code databaseUrl}), where they also wake each other ({@code LISTEN/NOTIFY}, the 1 s tick as the safety net).
 * Both run until stopped (Ctrl-C, SIGTERM).
 */
public final class EngineCommand extends WeftCommand {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCommand.class);
    private final boolean scheduler;

    private EngineCommand(String name, String description, boolean scheduler) {
        super(name, description);
        this.scheduler = scheduler;
    }

    public static EngineCommand scheduler() {
        return new EngineCommand("scheduler", "Runs the DAG processor and the scheduler loop only (no HTTP server, "
                + "no worker); needs a PostgreSQL server shared with the workers and the API server", true);
    }

    public static EngineCommand worker() {
        return new EngineCommand("worker", "Runs a worker only (workerSlots tasks at a time); needs a PostgreSQL "
                + "server shared with the scheduler and the API server", false);
    }

    @Override
    protected void run(Bootstrap<WeftConfiguration> bootstrap, Namespace namespace, WeftConfiguration config)
            throws Exception {
        DbCommand.applyEnvironment(namespace, config);
        if (config.getDatabaseUrl() == null || config.getDatabaseUrl().isBlank()) {
            throw new IllegalArgumentException("weft " + getName() + " meets the other Weft processes in a "
                    + "PostgreSQL server: set databaseUrl in the configuration file (or WEFT_DATABASE_URL); the "
                    + "embedded database is for weft standalone only");
        }
        if (!scheduler && config.getWorkerSlots() < 1) {
            throw new IllegalArgumentException("weft worker: workerSlots is " + config.getWorkerSlots()
                    + " in the configuration; give it 1 or more");
        }
        WeftRuntime.Settings all = WeftRuntime.Settings.of(config);
        WeftRuntime.Settings settings = new WeftRuntime.Settings(all.home(), all.parallelism(),
                scheduler ? 0 : all.workerSlots(), scheduler, all.dagsArePausedAtCreation(), all.workerLostAfter(),
                all.sensorDeadlockAfter(), all.tick(), scheduler ? all.dagsFolder() : null,
                all.dagsFolderScanInterval(), all.dagBundleMaxBytes(), all.maxLogBytesPerTry(), all.secretKey(),
                all.previousSecretKeys(), all.sensitiveNames(), all.xcomMaxBytes());
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM halts once its shutdown hooks end: this one lets the main thread stop everything in order first.
        Thread hook = new Thread(() -> {
            LOG.info("weft {}: stopping", getName());
            stopRequested.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "weft-" + getName() + "-stop");
        try (DatabaseLocation location = DatabaseLocation.open(config)) {
            ManagedDataSource dataSource = location.pool(new MetricRegistry(), "weft-" + getName());
            try {
                WeftDatabase.migrate(dataSource);
                WeftDatabase db = new WeftDatabase(dataSource);
                Clock clock = Clock.systemUTC();
                PrometheusMeterRegistry meters = PrometheusEngineMetrics.newRegistry();
                WeftRuntime runtime = new WeftRuntime(db, settings, clock, location::openConnection,
                        new PrometheusEngineMetrics(meters));
                if (config.isLoadExamples()) {
                    // Workers need the bundles' class loaders for their callables; the scheduler needs their DAGs.
                    WeftApplication.registerExamples(runtime, config, getClass().getClassLoader());
                }
                MetricsHttpServer metrics = config.getMetricsPort() == 0 ? null : new MetricsHttpServer(
                        config.getMetricsPort(), meters, WeftApplication.databaseGauges(meters, runtime, config, clock),
                        new Authenticator(db.users(), clock));
                Runtime.getRuntime().addShutdownHook(hook);
                runtime.start();
                LOG.info("weft {} started (WEFT_HOME {}){}", getName(), settings.home(), metrics == null ? ""
                        : "; metrics at http://localhost:" + metrics.port() + "/metrics");
                stopRequested.await();
                if (metrics != null) {
                    metrics.close();
                }
                runtime.close();
            } finally {
                dataSource.stop();
            }
        } finally {
            stopped.countDown();
        }
    }
}
