package dev.weft.server;

import dev.weft.engine.json.Json;
import dev.weft.store.EmbeddedDatabase;
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

        WeftRuntime runtime = new WeftRuntime(db, WeftRuntime.Settings.of(config), clock);
        if (config.isLoadExamples()) {
            runtime.registry().registerProviders(getClass().getClassLoader(), "examples");
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

}
