package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one measured phase spent its time ({@code --profile}): the statements each loop issued (count, time, per
 * pass), transactions (those that wrote: one durable commit, an fsync, each at most), pass durations, the
 * CPU of the loop threads, of the whole JVM and of the PostgreSQL backends, and what the backends waited on.
 */
final class Profile {
    private final String title;
    private final BenchDatabase db;
    private long units;
    private final String unitName;
    private WaitSampler sampler;
    private ServerStatements statements;
    private long startNanos;
    private long processCpuStart;
    private final Map<String, Long> threadCpuStart = new HashMap<>();
    private final List<String> lines = new ArrayList<>();

    /** {@code units} is what the phase processed (tasks, edges), to express costs per unit. */
    private Profile(String title, BenchDatabase db, long units, String unitName) {
        this.title = title;
        this.db = db;
        this.units = units;
        this.unitName = unitName;
    }

    /** Starts profiling a phase, or returns null when the database is not profiled. */
    static Profile start(String title, BenchDatabase db, long units, String unitName) throws SQLException {
        if (db.profiler() == null) {
            return null;
        }
        Profile p = new Profile(title, db, units, unitName);
        db.profiler().reset();
        p.threadCpuStart.putAll(loopThreadCpu());
        p.processCpuStart = processCpu();
        p.sampler = new WaitSampler(db.postgres().adminConnection(), db.name(), 5);
        p.statements = ServerStatements.start(db.postgres(), db.name());
        p.startNanos = System.nanoTime();
        return p;
    }

    private static Map<String, Long> loopThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("weft-scheduler") || t.getName().equals("weft-worker")) {
                cpu.put(t.getName(), mx.getThreadCpuTime(t.threadId()));
            }
        }
        return cpu;
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Ends a phase whose units are counted at its end (the pokes of a window), and renders it as markdown. */
    List<String> stop(long counted) throws SQLException {
        units = counted;
        return stop();
    }

    /** Ends the phase and renders what was measured as markdown. */
    List<String> stop() throws SQLException {
        long wallNanos = System.nanoTime() - startNanos;
        long backendCpuMs = sampler.stop();
        long processCpuNanos = processCpu() - processCpuStart;
        Map<String, Long> threadCpuEnd = loopThreadCpu();
        sampler.close();
        double wallMs = wallNanos / 1e6;

        lines.add("### " + title);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Wall %.0f ms for %,d %s. CPU: JVM %.0f ms (%.0f%% of one core)%s; "
                        + "scheduler thread %s, worker thread %s.",
                wallMs, units, unitName, processCpuNanos / 1e6, 100 * processCpuNanos / (double) wallNanos,
                backendCpuMs < 0 ? "" : String.format(Locale.ROOT, ", PostgreSQL backends %d ms (%.0f%%)",
                        backendCpuMs, 100 * backendCpuMs / wallMs),
                cpu(threadCpuStart, threadCpuEnd, "weft-scheduler", wallNanos),
                cpu(threadCpuStart, threadCpuEnd, "weft-worker", wallNanos)));
        lines.add("");
        lines.add("| loop | passes | pass p50 / p99 / max (ms) | statements/pass | statements | transactions "
                + "(wrote) | DB time (ms) | per " + singular(unitName) + ": statements, transactions (wrote) |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (StatementProfiler.Role r : db.profiler().roles().values().stream()
                .sorted((a, b) -> Long.compare(b.dbNanos, a.dbNanos)).toList()) {
            List<Long> passes = r.passNanos.stream().sorted().toList();
            String passText = passes.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f / %.2f / %.1f",
                    Stats.percentile(passes, 50) / 1e6, Stats.percentile(passes, 99) / 1e6,
                    passes.get(passes.size() - 1) / 1e6);
            double perPass = r.passStatements.isEmpty() ? 0
                    : r.passStatements.stream().mapToInt(Integer::intValue).average().orElse(0);
            lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %,d (%,d) | %.0f (%.0f%% of wall) | "
                            + "%.2f, %.2f (%.2f) |",
                    r.name, passes.isEmpty() ? "–" : String.format(Locale.ROOT, "%,d", passes.size()), passText,
                    passes.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f", perPass), r.statements,
                    r.transactions, r.writeTransactions, r.dbNanos / 1e6, 100 * r.dbNanos / (double) wallNanos,
                    r.statements / (double) units, r.transactions / (double) units,
                    r.writeTransactions / (double) units));
        }
        lines.add("");
        lines.add("| loop | statement | calls | total (ms) | mean (ms) | max (ms) |");
        lines.add("|---|---|---|---|---|---|");
        long shown = 0;
        for (StatementProfiler.Stat s : db.profiler().stats()) {
            if (shown++ >= 16 || s.nanos < wallNanos / 500) {
                break;
            }
            lines.add(String.format(Locale.ROOT, "| %s | `%s` | %,d | %.0f | %.3f | %.1f |", s.role,
                    s.label.replace("|", "\\|"), s.calls, s.nanos / 1e6, s.nanos / 1e6 / s.calls, s.maxNanos / 1e6));
        }
        lines.add("");
        StringBuilder waits = new StringBuilder();
        sampler.waitShares().forEach((k, v) -> {
            if (v >= 0.01) {
                waits.append(waits.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f%%", k, 100 * v));
            }
        });
        lines.add(String.format(Locale.ROOT, "PostgreSQL backends of this database, sampled every 5 ms (%,d samples): "
                + "on average %.2f busy; of busy samples: %s.", sampler.samples(), sampler.averageBusyBackends(),
                waits.isEmpty() ? "none" : waits));
        lines.add("");
        if (statements != null) {
            lines.addAll(statements.stop(title, units, singular(unitName)));
        }
        return lines;
    }

    private static String cpu(Map<String, Long> start, Map<String, Long> end, String thread, long wallNanos) {
        Long s = start.get(thread);
        Long e = end.get(thread);
        if (s == null || e == null || s < 0 || e < 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f ms (%.0f%%)", (e - s) / 1e6, 100 * (e - s) / (double) wallNanos);
    }

    private static String singular(String unit) {
        return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }
}
