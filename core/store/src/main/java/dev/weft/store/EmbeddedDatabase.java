package dev.weft.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-setup PostgreSQL: the server binaries ship inside a Maven artifact and its data directory lives where the
 * caller says (under WEFT_HOME for {@code weft standalone}), so a restart keeps history.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with its data in {@code dataDirectory}; {@code port} 0 picks a free port. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(explain(e), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(explain(e), e);
        }
    }

    private static String explain(Exception e) {
        String message = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        String all = message + (cause == null ? "" : " " + cause.getMessage());
        if (all.contains("cannot be run as root")) {
            return "the embedded PostgreSQL cannot run as root on this machine (user namespaces are not available): "
                    + "run Weft as a normal user, or point it at a PostgreSQL server with --database-url / "
                    + "WEFT_DATABASE_URL";
        }
        return "could not start the embedded PostgreSQL: " + message
                + " (or point Weft at a PostgreSQL server with --database-url / WEFT_DATABASE_URL)";
    }

    /** A JDBC URL for the {@code postgres} database of this server. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
