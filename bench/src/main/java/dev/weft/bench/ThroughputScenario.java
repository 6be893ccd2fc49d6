package dev.weft.bench;

import dev.weft.spi.dag.DagSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * 10,000 no-op tasks end to end, twice: 100 runs of 100 independent tasks (triggered back to back), and one run of a
 * 10,000-task fan-out (a root and 9,999 tasks after it). Throughput = tasks / (last task end − first trigger), each
 * case in its own database after a warm-up on the same engine that lasts until the JIT has settled.
 */
final class ThroughputScenario implements Scenario {
    static final double TARGET = 5_000;
    static final String RUNS_LABEL = "throughput: 100 runs × 100 tasks";
    private static final int PARALLELISM = 256;
    private static final int SLOTS = 256;
    private static final int WARM_UP_BATCH = 10;
    private static final int WARM_UP_MAX_BATCHES = 60;

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String description() {
        return "10,000 no-op tasks end to end: 100 runs x 100 independent tasks, and one 10,000-task fan-out run";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(measure(context, RUNS_LABEL, BenchEngine.independent("bench_runs", 100), 100));
        rows.add(measure(context, "throughput: 1 run, 10,000-task fan-out", BenchEngine.fanOut("bench_fan_out", 10_000),
                1));
        return rows;
    }

    private static String p50(List<BenchEngine.TaskTimes> times,
                              java.util.function.ToLongFunction<BenchEngine.TaskTimes> f) {
        return Stats.ms(Stats.percentile(times.stream().map(t -> f.applyAsLong(t)).sorted().toList(), 50));
    }

    /** What one case measured: tasks per second, the JVM's CPU per task, and the notes of its row. */
    record Measured(double rate, double cpuMicrosPerTask, String notes) {
    }

    private Row measure(BenchContext context, String label, DagSpec spec, int runs) throws Exception {
        Measured m = measure(context, label, spec, runs, Duration.ofMinutes(10));
        context.record(label, m.rate());
        return Row.of(label, Stats.rate(m.rate()) + " tasks/s", "≥ " + Stats.rate(TARGET) + " tasks/s",
                m.rate() >= TARGET, m.notes());
    }

    /**
     * Runs {@code runs} runs of {@code spec} in a fresh database after a warm-up on the same engine (see
     * {@link #warmUp}); every task must succeed within {@code timeout}.
     */
    static Measured measure(BenchContext context, String label, DagSpec spec, int runs, Duration timeout)
            throws Exception {
        BenchContext.progress(label + " ...");
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db,
                context.parallelism(PARALLELISM), context.slots(SLOTS))) {
            engine.register(BenchEngine.independent("bench_warm_up", 100));
            engine.register(spec);
            engine.start();
            int warmUpRuns = warmUp(engine);
            db.vacuumAnalyze();

            int tasks = spec.tasks().size() * runs;
            Profile profile = Profile.start(label, db, tasks, "tasks");
            long cpuBefore = JvmUsage.processCpuNanos();
            var threadsBefore = JvmUsage.threadCpuNanos();
            Instant first = null;
            Instant base = Instant.now().minusSeconds(runs);
            for (int i = 0; i < runs; i++) {
                Instant at = engine.trigger(spec.dagId(), String.format("bench_%03d", i), base.plusSeconds(i));
                first = first == null ? at : first;
            }
            Instant triggered = Instant.now();
            engine.awaitRuns(spec.dagId(), runs, timeout, 20);
            long cpuNanos = JvmUsage.processCpuNanos() - cpuBefore;
            String byThread = JvmUsage.topThreads(threadsBefore, JvmUsage.threadCpuNanos(), cpuNanos, 3);
            long cpuMicros = cpuNanos / 1000;
            if (profile != null) {
                context.addProfile(profile.stop());
            }

            List<BenchEngine.TaskTimes> times = engine.taskTimes(spec.dagId());
            long ok = times.stream().filter(t -> t.state().equals("success")).count();
            if (ok != tasks) {
                throw new IllegalStateException(label + ": " + ok + " of " + tasks + " tasks succeeded; states: "
                        + engine.taskStates(spec.dagId()));
            }
            Instant lastEnd = times.stream().map(BenchEngine.TaskTimes::end).max(Comparator.naturalOrder())
                    .orElseThrow();
            long micros = BenchEngine.micros(first, lastEnd);
            double rate = tasks / (micros / 1e6);
            // Little's law: the engine keeps at most `parallelism` tasks queued or running, so throughput is the
            // average number of slots held divided by how long a task holds one (queued → outcome committed).
            Instant firstQueued = times.stream().map(BenchEngine.TaskTimes::queued).min(Comparator.naturalOrder())
                    .orElseThrow();
            Instant lastCommitted = times.stream().map(BenchEngine.TaskTimes::committed)
                    .max(Comparator.naturalOrder()).orElseThrow();
            long held = times.stream().mapToLong(t -> BenchEngine.micros(t.queued(), t.committed())).sum();
            double occupancy = held / (double) BenchEngine.micros(firstQueued, lastCommitted);
            String notes = String.format(Locale.ROOT, "%,d tasks in %s (triggering %s); slots held on average "
                            + "%.0f of %d; a task holds one (queued → outcome committed) p50 %s: claim %s, run %s, "
                            + "write-back %s; JVM CPU %s µs per task (%s); after a warm-up of %,d runs × 100 tasks",
                    tasks, Stats.seconds(micros),
                    Stats.seconds(BenchEngine.micros(first, triggered)), occupancy, engine.parallelism(),
                    p50(times, t -> BenchEngine.micros(t.queued(), t.committed())),
                    p50(times, t -> BenchEngine.micros(t.queued(), t.start())),
                    p50(times, t -> BenchEngine.micros(t.start(), t.end())),
                    p50(times, t -> BenchEngine.micros(t.end(), t.committed())), Stats.rate(cpuMicros / (double) tasks),
                    byThread.replace("main ", "main (the triggers) "), warmUpRuns);
            return new Measured(rate, cpuMicros / (double) tasks, notes);
        }
    }

    /**
     * Runs batches of 10 runs × 100 no-op tasks until the JIT has settled: a batch during which the compilers worked
     * less than a tenth of its wall time (at most 60 batches). A server that has run for a while compiles nothing; a
     * fixed short warm-up left the compilers busy for most of a core through the measurement. Returns the runs used.
     */
    private static int warmUp(BenchEngine engine) throws Exception {
        Instant base = Instant.now().minusSeconds(3600);
        int[] runs = {0};
        for (int batch = 0; batch < WARM_UP_MAX_BATCHES; batch++) {
            boolean settled = JvmUsage.jitQuietDuring(() -> {
                for (int i = 0; i < WARM_UP_BATCH; i++, runs[0]++) {
                    engine.trigger("bench_warm_up", "warm_up_" + runs[0], base.plusSeconds(runs[0]));
                }
                engine.awaitRuns("bench_warm_up", runs[0], Duration.ofMinutes(5), 20);
            });
            if (settled) {
                break;
            }
        }
        return runs[0];
    }
}
