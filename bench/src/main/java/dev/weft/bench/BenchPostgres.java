package dev.weft.bench;

import dev.weft.store.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL the benchmark runs on: a server when one answers at the admin URL, otherwise an embedded one under a
 * temporary directory. Each scenario gets its own fresh database ({@link #create}), dropped afterwards, so the
 * benchmark never touches anybody else's data and scenarios do not see each other's rows.
 */
final class BenchPostgres implements AutoCloseable {
    /** The local server, trust authentication, as for the tests. */
    static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/test?user=postgres";

    private final String adminUrl;
    private final EmbeddedDatabase embedded;
    private final Path embeddedDirectory;

    private BenchPostgres(String adminUrl, EmbeddedDatabase embedded, Path embeddedDirectory) {
        this.adminUrl = adminUrl;
        this.embedded = embedded;
        this.embeddedDirectory = embeddedDirectory;
    }

    /** Uses the server at {@code url} when it answers; otherwise starts an embedded PostgreSQL. */
    static BenchPostgres connect(String url, boolean mayEmbed) {
        DriverManager.setLoginTimeout(5);
        try (Connection ignored = DriverManager.getConnection(url)) {
            return new BenchPostgres(url, null, null);
        } catch (SQLException unreachable) {
            if (!mayEmbed) {
                throw new IllegalStateException("no PostgreSQL answers at " + redact(url) + ": "
                        + unreachable.getMessage());
            }
            System.err.println("bench: no PostgreSQL server at " + redact(url)
                    + "; starting an embedded PostgreSQL (a few seconds) ...");
        }
        return embedded();
    }

    /** Starts an embedded PostgreSQL under a temporary directory, deleted on close. */
    static BenchPostgres embedded() {
        Path dir;
        try {
            dir = Files.createTempDirectory("weft-bench-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
        return new BenchPostgres(db.jdbcUrl(), db, dir);
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    /** {@code PostgreSQL 15.20} (the first two words of {@code SELECT version()}). */
    String version() {
        String full = query("SELECT version()");
        String[] words = full.split(" ");
        return words.length >= 2 ? words[0] + " " + words[1] : full;
    }

    String setting(String name) {
        return query("SELECT current_setting('" + name.replace("'", "") + "')");
    }

    private String query(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A fresh, migrated Weft database; closing it drops it. */
    BenchDatabase create(boolean profiled) {
        String name = "weft_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            // The targets are for durable commits; the embedded PostgreSQL's defaults turn synchronous_commit off.
            s.execute("ALTER DATABASE " + name + " SET synchronous_commit = on");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the benchmark database: " + e.getMessage(), e);
        }
        return new BenchDatabase(this, name, withDatabase(adminUrl, name), profiled);
    }

    void drop(String name) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
        }
    }

    /** A connection to the admin database, for sampling server-wide views while a scenario runs. */
    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl);
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
            deleteQuietly(embeddedDirectory);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
