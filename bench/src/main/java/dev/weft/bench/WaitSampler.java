package dev.weft.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples {@code pg_stat_activity} for the scenario's database every few milliseconds while it runs: what its active
 * backends wait on (no wait event: on CPU; {@code IO:WALSync}: a durable commit; {@code Lock:advisory}: the
 * queueing lock; {@code LWLock:…}: shared-memory contention). PostgreSQL's own view, no extension needed. It also
 * reads the backends' CPU time from {@code /proc} when the server runs on this machine.
 */
final class WaitSampler implements AutoCloseable {
    private final Connection connection;
    private final String database;
    private final long intervalMillis;
    private final Map<String, AtomicLong> waits = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong activeBackendSamples = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;
    private final Map<Integer, Backend> backends = new HashMap<>();
    private final Map<Backend, Long> backendsCpuMillis = new HashMap<>();
    private final Map<Integer, Long> cpuAtStart;

    WaitSampler(Connection connection, String database, long intervalMillis) throws SQLException {
        this.connection = connection;
        this.database = database;
        this.intervalMillis = intervalMillis;
        this.cpuAtStart = backendCpuTicks();
        this.thread = Thread.ofPlatform().daemon().name("bench-wait-sampler").start(this::loop);
    }

    private void loop() {
        String sql = "SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid() AND backend_type = 'client backend'";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, database);
            while (running) {
                try (ResultSet rs = s.executeQuery()) {
                    samples.incrementAndGet();
                    while (rs.next()) {
                        String state = rs.getString(1);
                        if (!"active".equals(state)) {
                            if ("idle in transaction".equals(state)) {
                                waits.computeIfAbsent("(idle in transaction: waiting for the client)",
                                        k -> new AtomicLong()).incrementAndGet();
                                activeBackendSamples.incrementAndGet();
                            }
                            continue;
                        }
                        activeBackendSamples.incrementAndGet();
                        String type = rs.getString(2);
                        String key = type == null ? "CPU (no wait event)" : type + ":" + rs.getString(3);
                        waits.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                    }
                }
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException e) {
            if (running) {
                System.err.println("bench: wait sampling stopped: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * CPU ticks (user + system) of each backend of the database, by pid; empty when /proc is not readable. Notes what
     * each backend is for ({@link #backendsCpuMillis}).
     */
    private Map<Integer, Long> backendCpuTicks() throws SQLException {
        Map<Integer, Long> ticks = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT pid, application_name, query"
                + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    Long t = ProcStat.cpuTicks(pid);
                    if (t != null) {
                        ticks.put(pid, t);
                        backends.put(pid, new Backend(rs.getString(2), purpose(rs.getString(3))));
                    }
                }
            }
        }
        return ticks;
    }

    /** A backend's client (its application name) and what it is for, by the last statement it ran. */
    record Backend(String client, String purpose) {
    }

    private static String purpose(String lastQuery) {
        String q = lastQuery == null ? "" : lastQuery.strip();
        if (q.startsWith("LISTEN")) {
            return "listening";
        }
        return q.contains("pg_notify") ? "notifying" : "statements";
    }

    /** Stops sampling; returns the CPU milliseconds the database's backends used meanwhile, or -1 if unknown. */
    long stop() throws SQLException {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<Integer, Long> end = backendCpuTicks();
        if (end.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            long used = e.getValue() - cpuAtStart.getOrDefault(e.getKey(), 0L);
            ticks += used;
            backendsCpuMillis.merge(backends.get(e.getKey()), used * ProcStat.MILLIS_PER_TICK, Long::sum);
        }
        return ticks * ProcStat.MILLIS_PER_TICK;
    }

    /** After {@link #stop}: the CPU milliseconds the backends used, by client and purpose. */
    Map<Backend, Long> backendsCpuMillis() {
        return backendsCpuMillis;
    }

    long samples() {
        return samples.get();
    }

    /** Average number of backends busy (active or idle in a transaction) at a sample. */
    double averageBusyBackends() {
        return samples.get() == 0 ? 0 : (double) activeBackendSamples.get() / samples.get();
    }

    /** Share of busy-backend samples per wait, most frequent first. */
    Map<String, Double> waitShares() {
        long total = waits.values().stream().mapToLong(AtomicLong::get).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        waits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                .forEach(e -> shares.put(e.getKey(), total == 0 ? 0 : (double) e.getValue().get() / total));
        return shares;
    }

    @Override
    public void close() throws SQLException {
        running = false;
        connection.close();
    }
}
