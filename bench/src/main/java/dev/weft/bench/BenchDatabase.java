package dev.weft.bench;

import dev.weft.store.WeftDatabase;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One scenario's database: created empty, migrated, used through a connection pool like the server's (optionally
 * wrapped by the {@link StatementProfiler}), and dropped on close. Measurements read it over a separate connection
 * that the profiler does not count.
 */
final class BenchDatabase implements AutoCloseable {
    private final BenchPostgres postgres;
    private final String name;
    private final String url;
    private final DataSource pool;
    private final StatementProfiler profiler;
    private final WeftDatabase database;
    private final Thread dropOnExit;
    private final java.util.Deque<AutoCloseable> users = new java.util.ArrayDeque<>();
    private boolean closed;

    BenchDatabase(BenchPostgres postgres, String name, String url, boolean profiled) {
        this.postgres = postgres;
        this.name = name;
        this.url = url;
        PoolProperties p = new PoolProperties();
        p.setUrl(url);
        p.setDriverClassName("org.postgresql.Driver");
        // The server's pool size (WeftApplication): 32 at most, 2 to start.
        p.setMaxActive(32);
        p.setMaxIdle(32);
        p.setInitialSize(2);
        p.setMinIdle(0);
        p.setDefaultAutoCommit(true);
        // As the server's pool (DatabaseLocation): statements and result sets not wrapped in reflective proxies, and
        // the connection's isolation level remembered rather than asked of the server at every transaction.
        p.setUseStatementFacade(false);
        p.setJdbcInterceptors("ConnectionState");
        this.pool = new DataSource(p);
        migrateQuietly(pool);
        this.profiler = profiled ? new StatementProfiler(pool) : null;
        this.database = new WeftDatabase(profiled ? profiler : pool);
        // Interrupted (Ctrl-C, SIGTERM): still drop the database.
        this.dropOnExit = new Thread(this::close, "bench-drop-" + name);
        Runtime.getRuntime().addShutdownHook(dropOnExit);
    }

    /**
     * Liquibase writes its changesets and an update summary to {@code System.out}; the table is to be the bench's only
     * output there, so standard output is silenced while the changelog is applied (nothing else runs meanwhile).
     */
    private static void migrateQuietly(javax.sql.DataSource dataSource) {
        try {
            withoutStandardOutput(() -> WeftDatabase.migrate(dataSource));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} with standard output silenced (the table is to be the only thing written there). */
    static synchronized void withoutStandardOutput(JvmUsage.Work action) throws Exception {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
    }

    /** The JDBC URL of this database (with the admin URL's credentials). */
    String url() {
        return url;
    }

    String name() {
        return name;
    }

    WeftDatabase weft() {
        return database;
    }

    /** The statement profiler, or null when not profiling. */
    StatementProfiler profiler() {
        return profiler;
    }

    /** A connection outside the pool and the profiler, for the benchmark's own queries. */
    Connection measure() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /**
     * Vacuums and gathers the planner's statistics, as autovacuum keeps any installation past its first minute: a
     * bench database is seconds old when measured (and this server may run without autovacuum); plans made without
     * statistics, and tables full of the warm-up's dead row versions, are not what a running installation has.
     */
    void vacuumAnalyze() throws SQLException {
        try (Connection c = measure(); java.sql.Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        }
    }

    BenchPostgres postgres() {
        return postgres;
    }

    /** Something to stop before the database is dropped (an engine still running when the JVM is stopped). */
    synchronized void closeFirst(AutoCloseable user) {
        users.push(user);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != dropOnExit) {
            Runtime.getRuntime().removeShutdownHook(dropOnExit);
        }
        while (!users.isEmpty()) {
            try {
                users.pop().close();
            } catch (Exception e) {
                System.err.println("bench: " + e);
            }
        }
        pool.close(true);
        postgres.drop(name);
    }
}
