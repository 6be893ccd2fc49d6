package dev.weft.server;

import dev.weft.engine.dag.BundledDagFiles;
import dev.weft.engine.json.Json;
import dev.weft.store.WeftDatabase;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** The one composition root: configuration in, objects wired by constructor, lifecycles handed to Dropwizard. */
public class WeftApplication extends Application<WeftConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(WeftApplication.class);

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
        bootstrap.addCommand(new DbCommand());
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
        DataSourceFactory dataSourceFactory = location.dataSourceFactory();
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

        WeftRuntime runtime = new WeftRuntime(db, WeftRuntime.Settings.of(config), clock);
        if (config.isLoadExamples()) {
            runtime.registry().registerProviders(getClass().getClassLoader(), "examples");
            // The same scenarios as DAG files (ids ending in _yaml), shipped in the examples jar.
            BundledDagFiles.register(runtime.registry(), getClass().getClassLoader(), "dev/weft/examples/dag-files",
                    WeftRuntime.Settings.of(config).dagFileVariables(), "examples");
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
        environment.jersey().register(new HealthResource(db.jdbi()));
        environment.jersey().register(new HomeResource(db.dags()));
    }

    private static void stopQuietly(ManagedDataSource dataSource) {
        try {
            dataSource.stop();
        } catch (Exception ignored) {
            // a pool that fails to close has nothing left to lose
        }
    }

}
