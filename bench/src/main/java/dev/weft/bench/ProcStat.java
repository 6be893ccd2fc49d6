package dev.weft.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of processes and of their threads from Linux's {@code /proc}, for processes this JVM did not start in
 * itself (PostgreSQL's backends, the split scenario's JVMs). A process's time is in clock ticks (USER_HZ, 100 a
 * second); a thread's in nanoseconds, from the scheduler's own account ({@code schedstat}) where the kernel keeps it:
 * clock ticks charge a whole tick to whichever thread runs when it falls, which over- or undercharges threads that
 * run often and briefly (a listener woken by each notification).
 */
final class ProcStat {
    static final long MILLIS_PER_TICK = 10;

    private ProcStat() {
    }

    /** User + system ticks of a process, or null when its stat cannot be read (gone, or no /proc). */
    static Long cpuTicks(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    static final long NANOS_PER_TICK = MILLIS_PER_TICK * 1_000_000;

    /** A thread's group (see {@link #group}) and its CPU nanoseconds so far. */
    record ThreadTime(String group, long nanos) {
    }

    /** The CPU time of each live thread of a process, by thread id; empty when /proc cannot be read. */
    static Map<Long, ThreadTime> threadTimes(long pid) {
        Map<Long, ThreadTime> byId = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                Path stat = task.resolve("stat");
                String name = name(stat);
                Long nanos = scheduledNanos(task.resolve("schedstat"));
                if (nanos == null) {
                    Long t = ticks(stat);
                    nanos = t == null ? null : t * NANOS_PER_TICK;
                }
                if (name != null && nanos != null) {
                    byId.put(Long.parseLong(task.getFileName().toString()), new ThreadTime(group(name), nanos));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byId;
    }

    /**
     * What a process's threads used between two {@link #threadTimes} readings, in nanoseconds, by group: the JIT's compiler threads
     * ("JIT"), the garbage collector's ("GC"), the carriers of virtual threads ("virtual threads", which run the
     * tries), and the others by their name with any number left out. Each live thread counts its growth (one started
     * in between: all its ticks). A thread that ended in between took its ticks with it, and summing the live
     * threads by group made such a group shrink (a JVM stops idle compiler threads, a pool its idle threads): with
     * the process's own time in between ({@code processNanos}; null when unknown), what no live thread accounts for
     * is "ended threads", so that the groups add up to the process's time.
     */
    static Map<String, Long> used(Map<Long, ThreadTime> before, Map<Long, ThreadTime> after, Long processNanos) {
        Map<String, Long> byGroup = new TreeMap<>();
        long live = 0;
        for (var e : after.entrySet()) {
            ThreadTime then = before.get(e.getKey());
            // A thread id the kernel gave again to a thread of another group is a new thread.
            long was = then != null && then.group().equals(e.getValue().group()) ? then.nanos() : 0;
            long d = Math.max(0, e.getValue().nanos() - was);
            byGroup.merge(e.getValue().group(), d, Long::sum);
            live += d;
        }
        // The process's time is counted in ticks: less than a tick's difference is the two clocks', not a thread's.
        if (processNanos != null && processNanos - live > NANOS_PER_TICK) {
            byGroup.put("ended threads", processNanos - live);
        }
        return byGroup;
    }

    private static String group(String threadName) {
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return "JIT";
        }
        if (threadName.startsWith("GC ") || threadName.startsWith("G1 ") || threadName.startsWith("VM Periodic")
                || threadName.equals("VM Thread")) {
            return "GC";
        }
        if (threadName.startsWith("ForkJoinPool")) {
            return "virtual threads";
        }
        return threadName.replaceAll("[-#]?\\d+", "");
    }

    private static String name(Path stat) {
        try {
            String s = Files.readString(stat);
            return s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The first field of a thread's {@code schedstat}: the nanoseconds it has run on a CPU; null when not kept. */
    private static Long scheduledNanos(Path schedstat) {
        try {
            String s = Files.readString(schedstat);
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
