package dev.weft.server;

import dev.weft.store.EmbeddedDatabase;
import io.dropwizard.db.DataSourceFactory;

import java.nio.file.Path;

/**
 * Where the configuration puts the database: a PostgreSQL server by JDBC URL, or the embedded PostgreSQL under
 * WEFT_HOME, which {@link #open} starts and {@link #close} stops.
 */
final class DatabaseLocation implements AutoCloseable {
    private final DataSourceFactory dataSourceFactory;
    private final EmbeddedDatabase embedded;

    private DatabaseLocation(DataSourceFactory dataSourceFactory, EmbeddedDatabase embedded) {
        this.dataSourceFactory = dataSourceFactory;
        this.embedded = embedded;
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
        factory.setMaxSize(32);
        factory.setMinSize(2);
        factory.setInitialSize(2);
        factory.setValidationQuery("/* weft health check */ SELECT 1");
        return new DatabaseLocation(factory, embedded);
    }

    DataSourceFactory dataSourceFactory() {
        return dataSourceFactory;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
