package dev.weft.store;

import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, migrated database for one test class: on the local PostgreSQL server when one is reachable
 * ({@code WEFT_TEST_DATABASE_URL}, default {@code jdbc:postgresql://localhost:5432/test} as user postgres), otherwise on
 * one embedded PostgreSQL per test JVM.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String ADMIN_URL = System.getenv().getOrDefault("WEFT_TEST_DATABASE_URL",
            "jdbc:postgresql://localhost:5432/test?user=postgres");
    private static String serverUrl;

    private final String name;
    private final String url;
    private final DataSource dataSource;
    private final WeftDatabase database;

    private TestDatabase() throws SQLException {
        name = "weft_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        String admin = adminUrl();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        url = withDatabase(admin, name);
        PoolProperties p = new PoolProperties();
        p.setUrl(url);
        p.setDriverClassName("org.postgresql.Driver");
        p.setMaxActive(32);
        p.setInitialSize(2);
        p.setMinIdle(0);
        p.setDefaultAutoCommit(true);
        dataSource = new DataSource(p);
        WeftDatabase.migrate(dataSource);
        database = new WeftDatabase(dataSource);
    }

    public static TestDatabase create() {
        try {
            return new TestDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database: " + e.getMessage(), e);
        }
    }

    private static synchronized String adminUrl() {
        if (serverUrl == null) {
            try (Connection ignored = DriverManager.getConnection(ADMIN_URL)) {
                serverUrl = ADMIN_URL;
            } catch (SQLException unreachable) {
                try {
                    Path dir = Files.createTempDirectory("weft-test-pg");
                    EmbeddedDatabase embedded = EmbeddedDatabase.start(dir, 0);
                    serverUrl = embedded.jdbcUrl();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return serverUrl;
    }

    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    public String url() {
        return url;
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public WeftDatabase database() {
        return database;
    }

    @Override
    public void close() {
        dataSource.close(true);
        try (Connection c = DriverManager.getConnection(adminUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // Leftover test databases are harmless; the next run creates fresh ones.
        }
    }
}
