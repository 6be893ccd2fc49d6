package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** Something measured while it runs. */
    interface Work {
        void run() throws Exception;
    }

    /**
     * Whether the JIT compilers worked less than a tenth of the wall time while {@code work} ran: the sign that this
     * JVM has compiled what the work exercises, as a server that has run for a while has. Warm-ups repeat their work
     * until it holds.
     */
    static boolean jitQuietDuring(Work work) throws Exception {
        var jit = ManagementFactory.getCompilationMXBean();
        long jitBefore = jit.getTotalCompilationTime();
        long wallBefore = System.nanoTime();
        work.run();
        long jitMillis = jit.getTotalCompilationTime() - jitBefore;
        return jitMillis * 10 < (System.nanoTime() - wallBefore) / 1_000_000;
    }

    /** Heap in use after two full collections, in bytes. */
    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    /**
     * CPU time of the live platform threads, in nanoseconds, summed by name with trailing digits removed
     * ({@code ForkJoinPool-1-worker-} for the carriers of virtual threads). GC and JIT threads are not Java threads
     * and are not in it.
     */
    static java.util.Map<String, Long> threadCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("\\d+$", ""), cpu, Long::sum);
            }
        }
        return byName;
    }

    /**
     * The threads that used the most CPU between two {@link #threadCpuNanos} snapshots, as shares of
     * {@code processNanos} (the process's CPU time in between): {@code weft-scheduler 41 %, weft-worker 22 %}.
     */
    static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after,
                             long processNanos, int top) {
        java.util.List<java.util.Map.Entry<String, Long>> deltas = new java.util.ArrayList<>();
        long threadsTotal = 0;
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                deltas.add(java.util.Map.entry(e.getKey(), d));
                threadsTotal += d;
            }
        }
        deltas.sort(java.util.Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder sb = new StringBuilder();
        for (var e : deltas.subList(0, Math.min(top, deltas.size()))) {
            sb.append(e.getKey()).append(' ').append(share(e.getValue(), processNanos)).append(", ");
        }
        return sb.append("other (GC, JIT, the carriers of virtual threads, which run the tries) ")
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

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
    }
}
