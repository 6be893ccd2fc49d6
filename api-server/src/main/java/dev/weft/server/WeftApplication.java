package dev.weft.server;

import dev.weft.engine.dag.BundledDagFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.engine.json.Json;
import dev.weft.server.api.ConnectionResource;
import dev.weft.server.api.DagResource;
import dev.weft.server.api.DagDatasetResource;
import dev.weft.server.api.DagRunResource;
import dev.weft.server.api.DatasetResource;
import dev.weft.server.api.GridResource;
import dev.weft.engine.grid.GridService;
import dev.weft.engine.health.Health;
import dev.weft.server.api.LogTokens;
import dev.weft.server.api.MonitoringResource;
import dev.weft.server.api.PoolResource;
import dev.weft.server.api.RoleResource;
import dev.weft.server.api.TaskInstanceResource;
import dev.weft.server.api.UserResource;
import dev.weft.server.api.VariableResource;
import dev.weft.server.api.XComResource;
import dev.weft.server.api.WeftResource;
import dev.weft.server.auth.AuthFilter;
import dev.weft.server.auth.SecurityHeaders;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.connections.ConnectionTester;
import dev.weft.engine.auth.Sessions;
import dev.weft.web.WebUi;
import dev.weft.server.errors.BodyLimitFilter;
import dev.weft.server.errors.ProblemMapper;
import dev.weft.server.errors.UiErrorPages;
import dev.weft.server.metrics.DatabaseGauges;
import dev.weft.server.metrics.MetricsResource;
import dev.weft.server.metrics.PrometheusEngineMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.dropwizard.core.server.AbstractServerFactory;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The one composition root: configuration in, objects wired by constructor, lifecycles handed to Dropwizard. */
public class WeftApplication extends Application<WeftConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(WeftApplication.class);
    /** How long /metrics' database gauges are reused: scrapers every few seconds cost one read. */
    private static final Duration METRICS_MAX_AGE = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        new WeftApplication().run(args);
    }

    @Override
    public String getName() {
        return "weft";
    }

    @Override
    public void initialize(Bootstrap<WeftConfiguration> bootstrap) {
        Json.configure(bootstrap.getObjectMapper())
                // API bodies with a field the endpoint does not know are refused (Airflow: "Unknown field.").
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        bootstrap.addCommand(new StandaloneCommand(this));
        bootstrap.addCommand(new DbCommand());
        bootstrap.addCommand(EngineCommand.scheduler());
        bootstrap.addCommand(EngineCommand.worker());
        bootstrap.addCommand(new UsersCommand());
        bootstrap.addCommand(new RotateSecretKeyCommand());
        WebUi.bootstrap(bootstrap);
    }

    @Override
    public void run(WeftConfiguration config, Environment environment) {
        Path home = Path.of(config.getWeftHome());
        Clock clock = Clock.systemUTC();

        DatabaseLocation location = DatabaseLocation.open(config);
        // Managed objects stop in reverse order: an embedded database stops after everything that uses it.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                location.close();
            }
        });
        // Jetty's shutdown hook skips a server that is still starting (and destroys it under its start) while the
        // engine already runs: this one stops the server in order, its start ended, and the database waits for it.
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopInOrder(server), "weft-stop"));
                    server.setStopAtShutdown(false);
                    location.awaitCloseAtShutdown();
                }
            }
        });
        DataSourceFactory dataSourceFactory = location.dataSourceFactory();
        ManagedDataSource migrations = dataSourceFactory.build(environment.metrics(), "weft-migrations");
        try {
            WeftDatabase.migrate(migrations);
        } finally {
            stopQuietly(migrations);
        }
        ManagedDataSource dataSource = location.pool(environment.metrics(), "weft");
        environment.lifecycle().manage(dataSource);
        WeftDatabase db = new WeftDatabase(dataSource);
        if (config.isCreateAdminUser()) {
            StandaloneCommand.ensureAdmin(db.users(), home);
        }

        PrometheusMeterRegistry meters = PrometheusEngineMetrics.newRegistry();
        WeftRuntime runtime = new WeftRuntime(db, WeftRuntime.Settings.of(config), clock, location::openConnection,
                new PrometheusEngineMetrics(meters));
        if (config.isLoadExamples()) {
            registerExamples(runtime, config, getClass().getClassLoader());
        }
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                runtime.start();
            }

            @Override
            public void stop() {
                runtime.close();
            }
        });

        environment.lifecycle().addServerLifecycleListener(server -> {
            for (var connector : server.getConnectors()) {
                if (connector instanceof org.eclipse.jetty.server.ServerConnector http) {
                    LOG.info("Weft is ready at http://localhost:{}/ (WEFT_HOME {})", http.getLocalPort(), home);
                }
            }
        });
        environment.healthChecks().register("database", new com.codahale.metrics.health.HealthCheck() {
            @Override
            protected Result check() {
                db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                return Result.healthy();
            }
        });
        Health health = new Health(db.heartbeats(),
                java.time.Duration.ofSeconds(config.getSchedulerHealthCheckThresholdSeconds()),
                java.time.Duration.ofSeconds(config.getWorkerLostAfterSeconds()), clock);
        environment.jersey().register(new HealthResource(health));
        environment.jersey().register(new ProcessesResource(health));
        environment.jersey().register(new ProbeResource(runtime::alive, new Readiness(dataSource, db.jdbi())));
        registerApi(config, environment, runtime, db, clock);
        environment.jersey().register(new MetricsResource(meters, databaseGauges(meters, runtime, config, clock)));
    }

    /** The gauges /metrics reads from the database (pools, executor slots, waiting sensors, import errors). */
    static DatabaseGauges databaseGauges(PrometheusMeterRegistry meters, WeftRuntime runtime, WeftConfiguration config,
                                         Clock clock) {
        WeftDatabase db = runtime.database();
        return new DatabaseGauges(meters, db.pools(), db.taskInstances(), db.importErrors(), runtime.catalog(),
                runtime.plugins()::isSensorType, config.getParallelism(), clock, METRICS_MAX_AGE);
    }

    /** The example DAGs: the Java bundle and the same scenarios as DAG files (ids ending in _yaml). */
    static void registerExamples(WeftRuntime runtime, WeftConfiguration config, ClassLoader loader) {
        runtime.registry().registerProviders(loader, "examples");
        BundledDagFiles.register(runtime.registry(), loader, "dev/weft/examples/dag-files",
                WeftRuntime.Settings.of(config).dagFileVariables(), "examples");
    }

    /**
     * The REST API (Airflow's v1 endpoints, Weft's own) and the web UI on the same port: one authentication filter
     * (basic auth or the UI's session, roles, CSRF) and problem+json errors.
     */
    private static void registerApi(WeftConfiguration config, Environment environment, WeftRuntime runtime,
                                    WeftDatabase db, Clock clock) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // One mapper family for every error (ProblemMapper) instead of Dropwizard's defaults.
            server.setRegisterDefaultExceptionMappers(false);
        }
        ObjectMapper mapper = environment.getObjectMapper();
        Authenticator authenticator = new Authenticator(db.users(), clock);
        Sessions sessions = new Sessions(db.sessions(), clock, config.getSessionLifetime().toJavaDuration());
        environment.admin().addFilter("weft-admin-auth", new dev.weft.server.auth.AdminServletFilter(authenticator))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true, "/*");
        var jersey = environment.jersey();
        jersey.register(new ProblemMapper());
        jersey.register(new UiErrorPages());
        jersey.register(new SecurityHeaders());
        jersey.register(new AuthFilter(authenticator, sessions, config.getMaxRequestBodyBytes()));
        jersey.register(new BodyLimitFilter(config.getMaxRequestBodyBytes()));
        GridService grids = new GridService(db.queries(), runtime.catalog());
        jersey.register(new GridResource(grids));
        jersey.register(new DagResource(db.dags(), db.queries(), runtime.catalog(), runtime.plugins(), mapper));
        jersey.register(new DagRunResource(runtime.runs(), db.runs(), db.queries(), mapper));
        jersey.register(new TaskInstanceResource(runtime.runs(), db.taskInstances(), db.queries(), db.logs(),
                new LogTokens(runtime.secretKeys().signingKey())));
        jersey.register(new PoolResource(db.pools()));
        jersey.register(new VariableResource(runtime.variables()));
        jersey.register(new XComResource(runtime.xcoms()));
        jersey.register(new ConnectionResource(runtime.connections(), new ConnectionTester(), mapper));
        DatasetResource datasets = new DatasetResource(runtime.datasets());
        jersey.register(datasets);
        jersey.register(new DagDatasetResource(runtime.datasets(), datasets, db.dags(), db.runs()));
        jersey.register(new UserResource(db.users(), authenticator, sessions));
        jersey.register(new RoleResource());
        jersey.register(new MonitoringResource(runtime.plugins(), runtime.registry(), clock));
        jersey.register(new WeftResource(runtime.runs(), db.runs(), db.queries(), db.pools(), db.dags()));
        WebUi.register(jersey, new WebUi.Services(db.queries(), db.dags(), db.runs(), db.taskInstances(), db.logs(),
                db.pools(), db.users(), runtime.runs(), runtime.catalog(), runtime.registry(), runtime.plugins(),
                authenticator, sessions, grids, runtime.templates(), runtime.variables(), runtime.xcoms(),
                runtime.connections(), runtime.datasets(), clock));
    }

    /** Stops the server and its managed objects in reverse order; waits for a start in progress to end first. */
    private static void stopInOrder(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.error("Could not stop Weft in order", e);
        }
    }

    private static void stopQuietly(ManagedDataSource dataSource) {
        try {
            dataSource.stop();
        } catch (Exception ignored) {
            // a pool that fails to close has nothing left to lose
        }
    }

}
