package dev.weft.bench;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A {@link DataSource} around the pool that times every statement and commit by the thread that issued it (the
 * scheduler loop, the worker loop, the benchmark's triggers, task threads), without touching the engine. It also cuts
 * the scheduler's and the worker's statements into passes: a scheduler pass begins with its query for DAGs due for
 * scheduling, a worker pass with its claim. Only the {@code --profile} mode installs it.
 */
final class StatementProfiler implements DataSource {
    static final String SCHEDULER = "scheduler";
    static final String WORKER = "worker";
    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    /** Calls and time of one statement text issued by one role. */
    static final class Stat {
        final String role;
        final String label;
        long calls;
        long nanos;
        long maxNanos;

        Stat(String role, String label) {
            this.role = role;
            this.label = label;
        }

        synchronized void add(long elapsed) {
            calls++;
            nanos += elapsed;
            maxNanos = Math.max(maxNanos, elapsed);
        }
    }

    /** What one loop did: its passes, and statements and transactions over all of them. */
    static final class Role {
        final String name;
        long statements;
        long transactions;
        long writeTransactions;
        long dbNanos;
        final List<Long> passNanos = new ArrayList<>();
        final List<Integer> passStatements = new ArrayList<>();
        long passStart = -1;
        long lastEnd;
        int statementsInPass;

        Role(String name) {
            this.name = name;
        }

        synchronized void statement(long start, long end, boolean passMarker, boolean transaction, boolean wrote) {
            if (passMarker) {
                closePass();
                passStart = start;
                statementsInPass = 0;
            }
            statements++;
            statementsInPass++;
            dbNanos += end - start;
            lastEnd = end;
            if (transaction) {
                transactions++;
                if (wrote) {
                    writeTransactions++;
                }
            }
        }

        synchronized void closePass() {
            if (passStart >= 0) {
                passNanos.add(lastEnd - passStart);
                passStatements.add(statementsInPass);
                passStart = -1;
            }
        }
    }

    private final DataSource delegate;
    private final Map<String, Stat> stats = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, SqlInfo> infos = new ConcurrentHashMap<>();

    StatementProfiler(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Forgets everything measured so far (after a warm-up). */
    void reset() {
        stats.clear();
        roles.clear();
    }

    List<Stat> stats() {
        List<Stat> all = new ArrayList<>(stats.values());
        all.sort(Comparator.comparingLong((Stat s) -> s.nanos).reversed());
        return all;
    }

    Map<String, Role> roles() {
        roles.values().forEach(Role::closePass);
        return roles;
    }

    static String role() {
        Thread t = Thread.currentThread();
        String name = t.getName();
        if (name.equals("weft-scheduler")) {
            return SCHEDULER;
        }
        if (name.equals("weft-worker")) {
            return WORKER;
        }
        if (t.isVirtual()) {
            return "task";
        }
        return name.equals("main") ? "bench (triggers)" : name;
    }

    /** A statement's short, readable form and whether it starts a scheduler or a worker pass. */
    private record SqlInfo(String label, boolean schedulerPass, boolean workerPass, boolean writes) {
    }

    private static final java.util.regex.Pattern WRITE = java.util.regex.Pattern.compile(
            "(?is)^\\s*(INSERT|UPDATE|DELETE)\\b.*|^\\s*WITH\\b.*\\b(INSERT|UPDATE|DELETE)\\b.*");

    /** Whitespace collapsed, long select lists elided, cut at 120 characters. */
    static String label(String sql) {
        String one = sql.replaceAll("\\s+", " ").trim();
        one = one.replaceAll("^SELECT ([^()]{60,}?) FROM ", "SELECT … FROM ");
        return one.length() > 120 ? one.substring(0, 117) + "…" : one;
    }

    private SqlInfo info(String sql) {
        return infos.computeIfAbsent(sql, s -> {
            String one = s.replaceAll("\\s+", " ");
            return new SqlInfo(label(s), one.contains("FROM dag WHERE is_active AND NOT is_paused"),
                    one.contains("SET state = 'running', worker_id") && one.contains("SKIP LOCKED"),
                    WRITE.matcher(one).matches());
        });
    }

    /**
     * Records a statement (or a COMMIT/ROLLBACK). {@code tx} is the connection's state: [0] auto-commit, [1] whether
     * the open transaction wrote. A transaction that wrote is one WAL flush (an fsync) at most: one whose writes
     * matched no row writes no commit record.
     */
    private void record(String sql, long start, long end, boolean[] tx) {
        SqlInfo info = info(sql);
        boolean transaction;
        boolean wrote;
        if (sql.equals("COMMIT") || sql.equals("ROLLBACK")) {
            transaction = sql.equals("COMMIT");
            wrote = transaction && tx[1];
            tx[1] = false;
        } else if (tx[0]) {
            transaction = true;
            wrote = info.writes();
        } else {
            transaction = false;
            wrote = false;
            tx[1] |= info.writes();
        }
        String role = role();
        stats.computeIfAbsent(role + "\u0000" + info.label(), k -> new Stat(role, info.label())).add(end - start);
        boolean marker = role.equals(SCHEDULER) ? info.schedulerPass() : role.equals(WORKER) && info.workerPass();
        roles.computeIfAbsent(role, Role::new).statement(start, end, marker, transaction, wrote);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) throws SQLException {
        boolean[] tx = {connection.getAutoCommit(), false};
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("setAutoCommit")) {
                tx[0] = (Boolean) args[0];
            }
            if (name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0)) {
                long start = System.nanoTime();
                Object result = invoke(connection, method, args);
                record(name.toUpperCase(java.util.Locale.ROOT), start, System.nanoTime(), tx);
                return result;
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement) {
                String sql = (name.startsWith("prepare") && args != null && args.length > 0 && args[0] instanceof String s)
                        ? s : null;
                return wrap(statement, sql, tx);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                handler);
    }

    private Statement wrap(Statement statement, String preparedSql, boolean[] tx) {
        Class<?> type = statement instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            if (!EXECUTE.contains(method.getName())) {
                return invoke(statement, method, args);
            }
            String sql = preparedSql != null ? preparedSql
                    : args != null && args.length > 0 && args[0] instanceof String s ? s : "?";
            long start = System.nanoTime();
            Object result = invoke(statement, method, args);
            record(sql, start, System.nanoTime(), tx);
            return result;
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
