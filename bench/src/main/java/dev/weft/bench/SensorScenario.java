package dev.weft.bench;

import dev.weft.spi.dag.SensorMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sensor footprint: 10,000 ({@code --sensors}) reschedule-mode sensors waiting at once, then 1,000 poke-mode
 * sensors, each {@code standard.file_sensor} on a file that never appears, {@code poke_interval} 60 s. After every
 * sensor has poked once (reschedule mode: twice, and the JIT has settled), a window ({@code --window}, default 60 s,
 * so each sensor pokes about once more in it) measures the JVM's CPU, the rows the tables of a try got, the slots
 * held, and afterwards the heap in use after a full GC.
 */
final class SensorScenario implements Scenario {
    static final long HEAP_TARGET_BYTES = 256L * 1024 * 1024;
    static final double CPU_TARGET_PERCENT = 5;
    static final double ROWS_PER_POKE_TARGET = 2;
    static final int DEFAULT_SENSORS = 10_000;
    private static final Duration POKE_INTERVAL = Duration.ofSeconds(60);
    private static final String WARM_UP_DAG = "bench_warm_up";
    private static final int WARM_UP_SENSORS = 1_000;

    /** What a window measured. */
    record Footprint(long heapBytes, double cpuPercent, double rowsPerMinute, long pokes, double slotsAverage,
                     int slotsMedian, int slotsMax, int threads, long baselineHeapBytes, Duration window,
                     long firstPokesMillis, String cpuByThread, long rows, RowCounter.Count start,
                     RowCounter.Count end, String rowsByTable) {
        /** Rows of the tables a try writes (not the heartbeats and the sweep, whatever the sensor count) per poke. */
        double rowsPerPoke() {
            return end.rowsPerPokeSince(start);
        }
    }

    /** The tables a try writes: its task instance, its history, its reschedules, its log. */
    private static final List<String> TASK_TABLES = List.of("task_instance", "task_try", "task_reschedule", "task_log");

    @Override
    public String name() {
        return "sensors";
    }

    @Override
    public String description() {
        return "10,000 reschedule-mode and 1,000 poke-mode file sensors waiting: heap, CPU, rows written, slots";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        List<Row> rows = new ArrayList<>();
        int sensors = context.sensors();
        String label = String.format(Locale.ROOT, "sensors: %,d reschedule-mode waiting", sensors);
        Footprint r = measure(context, "bench_reschedule", sensors, SensorMode.RESCHEDULE, 256);
        String common = String.format(Locale.ROOT, "standard.file_sensor on files that never appear, poke_interval "
                + "60 s; the first pokes of all took %,d ms; measured over %d s after every sensor had poked twice: %,d "
                + "pokes in the window", r.firstPokesMillis(), r.window().toSeconds(), r.pokes());
        rows.add(Row.of(label + ": heap after GC", JvmUsage.megabytes(r.heapBytes()),
                "≤ " + JvmUsage.megabytes(HEAP_TARGET_BYTES), r.heapBytes() <= HEAP_TARGET_BYTES,
                String.format(Locale.ROOT, "the whole bench JVM (engine, DAG catalog with the %,d-task DAG, file "
                        + "watcher); ", sensors)
                        + JvmUsage.megabytes(r.baselineHeapBytes()) + " with the DAG registered and no run; " + common));
        // The window holds a varying part of a round of pokes (the re-pokes of 100,000 sensors take longer than the
        // window's start leaves them): the CPU a minute of these sensors takes is that of a poke, times the pokes a
        // minute has. The window's idle CPU (heartbeats, scheduler ticks) counts against the pokes it holds.
        double microsPerPoke = r.cpuPercent() / 100 * r.window().toNanos() / 1_000.0 / Math.max(1, r.pokes());
        double projected = microsPerPoke * sensors / (POKE_INTERVAL.toNanos() / 1_000.0) * 100;
        rows.add(Row.of(label + ": CPU", percent(projected) + " of one core",
                "< " + percent(CPU_TARGET_PERCENT), projected < CPU_TARGET_PERCENT,
                String.format(Locale.ROOT, "%.0f µs of JVM process CPU (every thread, GC and JIT) per poke in the "
                        + "window, times the %,d pokes a minute of these sensors; the window itself: %s of one core "
                        + "over %,d pokes; by thread: ", microsPerPoke, sensors * 60L / POKE_INTERVAL.toSeconds(),
                        percent(r.cpuPercent()), r.pokes()) + r.cpuByThread()
                        + "; " + common));
        rows.add(Row.of(label + ": slots held", "median " + r.slotsMedian() + ", max " + r.slotsMax(),
                "0 while waiting", r.slotsMedian() == 0,
                String.format(Locale.ROOT, "task instances queued or running, sampled every second; average %.1f "
                        + "(a sensor holds a slot only while it pokes)", r.slotsAverage())));
        rows.add(Row.of(label + ": rows written per re-poke", String.format(Locale.ROOT, "%.2f", r.rowsPerPoke()),
                String.format(Locale.ROOT, "≤ %.0f", ROWS_PER_POKE_TARGET), r.rowsPerPoke() <= ROWS_PER_POKE_TARGET,
                String.format(Locale.ROOT, "rows inserted, updated and deleted over the window in the tables a try "
                        + "writes (%s; counted by statement triggers), %,d, per poke (%,d pokes; the tries in flight at "
                        + "either end, whose claims are counted and not yet their pokes, taken out: %,d and %,d); the "
                        + "whole bench database (pg_stat_database, which publishes late) %,d rows (%,.0f rows/min), by "
                        + "table: %s (worker: heartbeats, dag_run: the once-a-minute sweep, whatever the sensor count); ",
                        String.join(", ", TASK_TABLES), r.end().rows() - r.start().rows(),
                        r.end().pokes() - r.start().pokes(), r.start().inFlight(), r.end().inFlight(), r.rows(),
                        r.rowsPerMinute(), r.rowsByTable()) + common));

        Footprint p = measure(context, "bench_poke", 1_000, SensorMode.POKE, 1_024);
        rows.add(Row.info("sensors: 1,000 poke-mode waiting", String.format(Locale.ROOT,
                        "%,d slots held, %d threads, %s heap, %s CPU", p.slotsMedian(), p.threads(),
                        JvmUsage.megabytes(p.heapBytes()), percent(p.cpuPercent())),
                String.format(Locale.ROOT, "parallelism and worker slots 1,024; a waiting poke-mode sensor holds its "
                                + "slot but no thread (its next poke is a timer in the worker loop; pokes run on "
                                + "virtual threads), so the JVM's platform threads stay %d; %,d pokes and %,.0f rows "
                                + "written/min over %d s; heap with the DAG registered and no run %s; CPU by thread: %s",
                        p.threads(), p.pokes(), p.rowsPerMinute(), p.window().toSeconds(),
                        JvmUsage.megabytes(p.baselineHeapBytes()), p.cpuByThread())));
        return rows;
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f %%", p);
    }

    private static Footprint measure(BenchContext context, String dagId, int sensors, SensorMode mode,
                                     int parallelism) throws Exception {
        BenchContext.progress(String.format(Locale.ROOT, "sensors: %,d %s-mode sensors ...", sensors,
                mode.name().toLowerCase(Locale.ROOT)));
        Path dir = Files.createTempDirectory("weft-bench-sensors");
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db,
                context.parallelism(parallelism), context.slots(parallelism))) {
            try (Connection c = db.measure()) {
                RowCounter.install(c, TASK_TABLES);
            }
            // A directory that never exists: the sensors' files are watched through its parent.
            engine.register(BenchEngine.fileSensors(dagId, sensors, dir.resolve("never"), mode, POKE_INTERVAL));
            engine.register(BenchEngine.fileSensors(WARM_UP_DAG, WARM_UP_SENSORS, dir.resolve("warm-up"), mode,
                    Duration.ofSeconds(1)));
            engine.start();
            warmUp(engine, dir.resolve("warm-up"));
            db.vacuumAnalyze();
            long baseline = JvmUsage.heapUsedAfterGc();
            long triggered = System.nanoTime();
            engine.trigger(dagId, "bench", Instant.now().minusSeconds(60));
            if (mode == SensorMode.RESCHEDULE) {
                engine.awaitState(dagId, "up_for_reschedule", sensors, Duration.ofMinutes(10));
            } else {
                engine.awaitState(dagId, "running", sensors, Duration.ofMinutes(10));
                Thread.sleep(5_000); // claimed; let the first pokes of the last claimed finish
            }
            long firstPokesMillis = (System.nanoTime() - triggered) / 1_000_000;
            if (mode == SensorMode.RESCHEDULE) {
                awaitRePokes(db, dagId, sensors);
                settle();
            }
            // PostgreSQL publishes a busy backend's row counts at most once a second and an idle one's within 10 s:
            // let the first pokes' writes be counted before the window opens.
            Thread.sleep(11_000);
            Duration window = context.window();
            BenchContext.progress("sensors: measuring for " + window.toSeconds() + " s ...");
            try (Connection c = db.measure()) {
                Profile profile = Profile.start(String.format(Locale.ROOT, "sensors: %,d %s-mode sensors, the "
                        + "window", sensors, mode.name().toLowerCase(Locale.ROOT)), db, sensors, "pokes");
                long pokes0 = pokes(c, dagId);
                RowCounter.Count count0 = RowCounter.read(c, dagId);
                long rows0 = JvmUsage.rowsWritten(c);
                Map<String, Long> tables0 = JvmUsage.rowsWrittenByTable(c);
                long cpu0 = JvmUsage.processCpuNanos();
                var threads0 = JvmUsage.threadCpuNanos();
                long t0 = System.nanoTime();
                long end = t0 + window.toNanos();
                List<Integer> slots = new ArrayList<>();
                int threads = 0;
                while (System.nanoTime() < end) {
                    slots.add(slotsHeld(c, dagId));
                    threads = Math.max(threads, JvmUsage.platformThreads());
                    Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
                }
                long cpu1 = JvmUsage.processCpuNanos();
                var threads1 = JvmUsage.threadCpuNanos();
                long t1 = System.nanoTime();
                long pokes1 = pokes(c, dagId); // committed rows: no publishing delay
                RowCounter.Count count1 = RowCounter.read(c, dagId);
                if (profile != null) {
                    context.addProfile(profile.stop(pokes1 - pokes0));
                }
                // The statistics views publish late: wait for the window's rows there (the whole database's figure).
                Thread.sleep(11_000);
                long rows1 = JvmUsage.rowsWritten(c);
                Map<String, Long> tables1 = JvmUsage.rowsWrittenByTable(c);
                double minutes = (t1 - t0) / 60e9;
                long heap = JvmUsage.heapUsedAfterGc();
                List<Integer> sorted = slots.stream().sorted().toList();
                return new Footprint(heap, 100.0 * (cpu1 - cpu0) / (t1 - t0), (rows1 - rows0) / minutes,
                        pokes1 - pokes0,
                        slots.stream().mapToInt(Integer::intValue).average().orElse(0),
                        sorted.get(sorted.size() / 2), sorted.getLast(), threads, baseline, window, firstPokesMillis,
                        JvmUsage.topThreads(threads0, threads1, cpu1 - cpu0, 4), rows1 - rows0, count0, count1,
                        byTable(tables0, tables1));
            }
        } finally {
            BenchPostgres.deleteQuietly(dir);
        }
    }

    /**
     * Pokes 1,000 sensors of the measured mode every second until the JIT has settled (5 s slices, at most 2 minutes),
     * then lets their files appear so that they succeed and their run ends: the measured window is to see a server
     * that has compiled its poke path, not the compilers (with no warm-up they were most of the window's CPU).
     */
    private static void warmUp(BenchEngine engine, Path files) throws Exception {
        engine.trigger(WARM_UP_DAG, "warm_up", Instant.now().minusSeconds(60));
        for (int slice = 0; slice < 24 && !JvmUsage.jitQuietDuring(() -> Thread.sleep(5_000)); slice++) {
            BenchContext.progress("sensors: warming up (the JIT is still compiling) ...");
        }
        Files.createDirectories(files);
        for (int i = 0; i < WARM_UP_SENSORS; i++) {
            Files.createFile(files.resolve(BenchEngine.taskId(i) + ".csv"));
        }
        engine.awaitRuns(WARM_UP_DAG, 1, Duration.ofMinutes(2), 100);
    }

    /**
     * Waits until every sensor has poked once more: the window then sees a server in its steady state. The first
     * re-pokes take claims and write-backs of another size than the warm-up's and the first pokes', which the JIT
     * compiled during them (a sixth of the window's CPU when it held the first re-pokes).
     */
    private static void awaitRePokes(BenchDatabase db, String dagId, int sensors) throws Exception {
        BenchContext.progress("sensors: waiting for every sensor to poke again ...");
        long deadline = System.nanoTime() + POKE_INTERVAL.multipliedBy(3).toNanos();
        try (Connection c = db.measure()) {
            while (pokes(c, dagId) < 2L * sensors) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sensors: " + pokes(c, dagId) + " pokes of " + sensors
                            + " sensors after " + POKE_INTERVAL.multipliedBy(3).toSeconds() + " s: they do not keep"
                            + " up with a poke every " + POKE_INTERVAL.toSeconds() + " s");
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Waits, 15 s at a time and at most 3 minutes, until the JIT compilers take under a twentieth of the JVM's CPU:
     * the code of many sensors at their own pace (claims and write-backs of a few hundred tries, the once-a-minute
     * examination of a 100,000-task run) runs a few times a second and is compiled minutes after the warm-up. A server
     * that has run for a while has compiled it; a window opened before measured the compilers for up to a sixth of its
     * CPU. The window's own JIT share is shown with its CPU by thread.
     */
    private static void settle() throws Exception {
        for (int slice = 0; slice < 12; slice++) {
            JvmUsage.JitUse use = JvmUsage.jitUseDuring(() -> Thread.sleep(15_000));
            if (use.share() < 0.05) {
                return;
            }
            BenchContext.progress(String.format(Locale.ROOT, "sensors: the JIT took %.0f %% of the CPU in the last "
                    + "15 s; waiting for it to settle ...", 100 * use.share()));
        }
    }

    private static String byTable(Map<String, Long> before, Map<String, Long> after) {
        List<String> parts = new ArrayList<>();
        after.forEach((table, n) -> {
            long d = n - before.getOrDefault(table, 0L);
            if (d != 0) {
                parts.add(String.format(Locale.ROOT, "%s %,d", table, d));
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static int slotsHeld(Connection c, String dagId) throws SQLException {
        return (int) count(c, "SELECT count(*) FROM task_instance WHERE dag_id = ? AND state IN ('queued', 'running')",
                dagId);
    }

    /**
     * Pokes so far: every poke is counted on its task instance (its log no longer has a line per poke). A poke-mode
     * try writes its count back when it ends: its pokes are counted by their "Poking for file" lines.
     */
    private static long pokes(Connection c, String dagId) throws SQLException {
        return count(c, "SELECT COALESCE(sum(poke_count), 0) FROM task_instance WHERE dag_id = ?", dagId)
                + count(c, "SELECT count(*) FROM task_log l JOIN task_instance t ON t.id = l.ti_id WHERE t.dag_id = ?"
                + " AND t.state = 'running' AND l.line LIKE '%Poking for file%'", dagId);
    }

    private static long count(Connection c, String sql, String dagId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, dagId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
