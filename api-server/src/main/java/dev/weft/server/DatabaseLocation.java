package dev.weft.server;

import dev.weft.store.EmbeddedDatabase;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the configuration puts the database: a PostgreSQL server by JDBC URL, or the embedded PostgreSQL under
 * WEFT_HOME, which {@link #open} starts and {@link #close} stops.
 */
final class DatabaseLocation implements AutoCloseable {
    static final Duration VALIDATION_INTERVAL = Duration.seconds(1);
    /** The engine's stop, after the HTTP server's: a worker gives its tries 10 s, then writes their outcomes. */
    private static final java.time.Duration ENGINE_STOP = java.time.Duration.ofSeconds(30);
    private final DataSourceFactory dataSourceFactory;
    private final EmbeddedDatabase embedded;
    private final java.time.Duration orderlyStopLimit;

    private DatabaseLocation(DataSourceFactory dataSourceFactory, EmbeddedDatabase embedded,
                             java.time.Duration orderlyStopLimit) {
        this.dataSourceFactory = dataSourceFactory;
        this.embedded = embedded;
        this.orderlyStopLimit = orderlyStopLimit;
    }

    static DatabaseLocation open(WeftConfiguration config) {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        String url = config.getDatabaseUrl();
        EmbeddedDatabase embedded = null;
        if (url == null || url.isBlank()) {
            embedded = EmbeddedDatabase.start(Path.of(config.getWeftHome()).resolve("postgres"), 0);
            url = embedded.jdbcUrl();
            factory.setUser("postgres");
        } else {
            factory.setUser(config.getDatabaseUser() == null ? "" : config.getDatabaseUser());
            factory.setPassword(config.getDatabasePassword());
        }
        factory.setUrl(url);
        // pg_stat_activity names the process that holds each connection (which backends to look at, or terminate).
        factory.getProperties().put("ApplicationName", "weft pid " + ProcessHandle.current().pid());
        factory.setMaxSize(32);
        factory.setMinSize(2);
        factory.setInitialSize(2);
        factory.setValidationQuery("/* weft health check */ SELECT 1");
        // Connections the database terminated (a restart, pg_terminate_backend, a failover) are replaced when
        // borrowed, not handed out to fail: validated on borrow, at most once a second per connection.
        factory.setCheckConnectionOnBorrow(true);
        factory.setValidationInterval(VALIDATION_INTERVAL);
        factory.setValidationQueryTimeout(Duration.seconds(5));
        // Tomcat's interceptor that remembers a connection's isolation level, auto-commit and read-only: Jdbi reads
        // the isolation level at every transaction it opens or joins, and the driver asks the server each time
        // (SHOW TRANSACTION ISOLATION LEVEL: 2,603 of the 6,500 statements of the split bench's throughput window).
        factory.setJdbcInterceptors(Optional.of("ConnectionState"));
        return new DatabaseLocation(factory, embedded, orderlyStopLimit(config));
    }

    /**
     * How long this process's orderly stop (SIGTERM, Ctrl-C) may take before its embedded PostgreSQL stops under it
     * anyway: requests in flight get the server's shutdown grace, then the engine stops.
     */
    private static java.time.Duration orderlyStopLimit(WeftConfiguration config) {
        java.time.Duration requests = config.getServerFactory() instanceof AbstractServerFactory server
                ? server.getShutdownGracePeriod().toJavaDuration() : java.time.Duration.ZERO;
        return requests.plus(ENGINE_STOP);
    }

    /**
     * From now on, a JVM shutdown (SIGTERM, Ctrl-C) stops the embedded PostgreSQL only once this location is closed,
     * or after the orderly stop limit: for an owner that closes it after everything that uses it has stopped.
     * Before, PostgreSQL stops at once, as an owner that is still starting would not close it.
     */
    void awaitCloseAtShutdown() {
        if (embedded != null) {
            embedded.awaitCloseAtShutdown(orderlyStopLimit);
        }
    }

    DataSourceFactory dataSourceFactory() {
        return dataSourceFactory;
    }

    /**
     * The pool of a process that runs Weft. Without Tomcat's statement facade: it wraps every statement and result set
     * in a reflective proxy, so each column read went through {@code Method.invoke} (a large part of the worker's time
     * per re-poke with 100,000 waiting sensors); Weft never compares closed statements, which is what it is for.
     */
    ManagedDataSource pool(MetricRegistry metrics, String name) {
        ManagedDataSource pool = dataSourceFactory.build(metrics, name);
        if (pool instanceof DataSourceProxy tomcat) {
            tomcat.getPoolProperties().setUseStatementFacade(false);
        }
        return pool;
    }

    /** A new connection outside the pool, for a session of its own (listening for wake-ups). */
    Connection openConnection() throws SQLException {
        Properties properties = new Properties();
        properties.putAll(dataSourceFactory.getProperties());
        properties.setProperty("user", dataSourceFactory.getUser());
        if (dataSourceFactory.getPassword() != null) {
            properties.setProperty("password", dataSourceFactory.getPassword());
        }
        return DriverManager.getConnection(dataSourceFactory.getUrl(), properties);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
