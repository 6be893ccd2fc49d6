package dev.weft.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of processes and of their threads from Linux's {@code /proc}, for processes this JVM did not start in
 * itself (PostgreSQL's backends, the split scenario's JVMs). Times are in clock ticks (USER_HZ, 100 a second).
 */
final class ProcStat {
    static final long MILLIS_PER_TICK = 10;

    private ProcStat() {
    }

    /** User + system ticks of a process, or null when its stat cannot be read (gone, or no /proc). */
    static Long cpuTicks(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    /**
     * User + system ticks of a process's threads, summed by group: the JIT's compiler threads ("JIT"), the garbage
     * collector's ("GC"), the carriers of virtual threads ("virtual threads", which run the tries), and the others by
     * their name with any number left out. Empty when /proc cannot be read.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> byGroup = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                Path stat = task.resolve("stat");
                String name = name(stat);
                Long t = ticks(stat);
                if (name != null && t != null) {
                    byGroup.merge(group(name), t, Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
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
