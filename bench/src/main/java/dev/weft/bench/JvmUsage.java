package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** What this JVM and the bench database use: CPU time, heap after a full GC, threads, rows written. */
final class JvmUsage {
    private JvmUsage() {
    }

    /** CPU time of the whole JVM process (every thread, GC and JIT included), in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    /** Something to run that may throw (measured, or run quietly). */
    interface Work {
        void run() throws Exception;
    }

    /**
     * Whether the JIT compilers took less than a tenth of this JVM's CPU, or less than 1 % of one core, while
     * {@code work} ran: the sign that this JVM has compiled what the work exercises, as a server that has run for a
     * while has (the second bound is for light work, as waiting sensors are). Warm-ups repeat their work until it
     * holds. The compiler threads' CPU comes from /proc; where it cannot be read, the compilation time the JVM reports
     * stands in for it (it undercounts: with it, the JIT still took half the CPU of a "quiet" window).
     */
    static boolean jitQuietDuring(Work work) throws Exception {
        JitUse use = jitUseDuring(work);
        return use.jitNanos() * 10 < use.cpuNanos() || use.jitNanos() * 100 < use.wallNanos();
    }

    /** The JIT compilers' CPU, the whole JVM's and the wall time while some work ran. */
    record JitUse(long jitNanos, long cpuNanos, long wallNanos) {
        double share() {
            return cpuNanos == 0 ? 0 : (double) jitNanos / cpuNanos;
        }
    }

    static JitUse jitUseDuring(Work work) throws Exception {
        var jit = ManagementFactory.getCompilationMXBean();
        long pid = ProcessHandle.current().pid();
        var threadsBefore = ProcStat.threadTimes(pid);
        long compilationMillisBefore = jit.getTotalCompilationTime();
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        work.run();
        long jitUsed = threadsBefore.isEmpty()
                ? (jit.getTotalCompilationTime() - compilationMillisBefore) * 1_000_000
                : ProcStat.used(threadsBefore, ProcStat.threadTimes(pid), null).getOrDefault("JIT", 0L);
        return new JitUse(jitUsed, processCpuNanos() - cpuBefore, System.nanoTime() - wallBefore);
    }

    /** CPU time of this JVM's own JIT and GC threads (not Java threads), by group, where /proc tells it. */
    private static Map<String, Long> vmThreadNanos() {
        Map<String, Long> nanos = new java.util.HashMap<>();
        ProcStat.threadTimes(ProcessHandle.current().pid()).values().forEach(t -> {
            if (t.group().equals("JIT") || t.group().equals("GC")) {
                nanos.merge(t.group(), t.nanos(), Long::sum);
            }
        });
        return nanos;
    }

    /** Heap in use after two full collections, in bytes. */
    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    /** A live platform thread's name (trailing digits removed) and CPU time so far. */
    record ThreadCpu(String name, long nanos) {
    }

    /**
     * CPU time of the live platform threads, by thread id, with their names' trailing digits removed
     * ({@code ForkJoinPool-1-worker-} for the carriers of virtual threads). GC and JIT threads are not Java threads:
     * where /proc tells their time, they are in it under the negative ids -1 ("JIT") and -2 ("GC").
     */
    static java.util.Map<Long, ThreadCpu> threadCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, ThreadCpu> byId = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byId.put(id, new ThreadCpu(info.getThreadName().replaceAll("\\d+$", ""), cpu));
            }
        }
        Map<String, Long> vm = vmThreadNanos();
        if (vm.containsKey("JIT")) {
            byId.put(-1L, new ThreadCpu("JIT", vm.get("JIT")));
        }
        if (vm.containsKey("GC")) {
            byId.put(-2L, new ThreadCpu("GC", vm.get("GC")));
        }
        return byId;
    }

    /**
     * The threads that used the most CPU between two {@link #threadCpuNanos} snapshots, grouped by name, as shares of
     * {@code processNanos} (the process's CPU time in between): {@code weft-scheduler 41 %, weft-worker 22 %}. Each
     * thread counts what it used between the snapshots (a thread started in between: all of it); a thread that ended
     * in between cannot be measured and falls into "other".
     */
    static String topThreads(java.util.Map<Long, ThreadCpu> before, java.util.Map<Long, ThreadCpu> after,
                             long processNanos, int top) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        for (var e : after.entrySet()) {
            ThreadCpu then = before.get(e.getKey());
            long d = e.getValue().nanos() - (then == null ? 0 : then.nanos());
            if (d > 0) {
                byName.merge(e.getValue().name(), d, Long::sum);
            }
        }
        long threadsTotal = byName.values().stream().mapToLong(Long::longValue).sum();
        java.util.List<java.util.Map.Entry<String, Long>> deltas = new java.util.ArrayList<>(byName.entrySet());
        deltas.sort(java.util.Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder sb = new StringBuilder();
        for (var e : deltas.subList(0, Math.min(top, deltas.size()))) {
            sb.append(e.getKey()).append(' ').append(share(e.getValue(), processNanos)).append(", ");
        }
        return sb.append("other (threads that ended meanwhile; GC and JIT too where /proc cannot be read) ")
                .append(share(Math.max(0, processNanos - threadsTotal), processNanos)).toString();
    }

    private static String share(long part, long whole) {
        return whole <= 0 ? "–" : String.format(java.util.Locale.ROOT, "%.0f %%", 100.0 * part / whole);
    }

    /** Live platform threads (virtual threads are not counted by the JVM's thread bean). */
    static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Rows inserted, updated and deleted in the database of {@code c} so far ({@code pg_stat_database}). */
    static long rowsWritten(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The same per table, as far as PostgreSQL has published them. */
    static Map<String, Long> rowsWrittenByTable(Connection c) throws SQLException {
        Map<String, Long> rows = new java.util.TreeMap<>();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM"
                    + " pg_stat_user_tables")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return rows;
    }

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
    }
}
