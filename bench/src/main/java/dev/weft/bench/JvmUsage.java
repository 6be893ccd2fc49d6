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

    /** Heap in use after two full collections, in bytes. */
    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
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
