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
 * case in its own database after a warm-up on the same engine that lasts until the JIT has settled; the median of
 * {@link #ROUNDS} rounds.
 */
final class ThroughputScenario implements Scenario {
    static final double TARGET = 5_000;
    static final String RUNS_LABEL = "throughput: 100 runs × 100 tasks";
    private static final int PARALLELISM = 256;
    private static final int SLOTS = 256;
    private static final int WARM_UP_MAX_RUNS_PER_BATCH = 100;
    /**
     * A throughput warm-up ends after this many batches in a row in which the JIT was quiet: its compilations come in
     * bursts, and a single quiet batch ended warm-ups whose measured rounds then had the JIT at a third to two thirds
     * of a split scheduler's CPU.
     */
    static final int WARM_UP_QUIET_BATCHES = 3;
    /** At most this many batches: the compilers of a scheduler's wide path through Jdbi and the driver settle slowly. */
    static final int WARM_UP_MAX_BATCHES = 90;
    /** The measured runs' ids begin so; the warm-up's are {@code warm_up_N}. */
    private static final String MEASURED_RUN_PREFIX = "bench_";
    /**
     * How many times the throughput cases are measured, one round after the other on the same engine; the median
     * round is the figure. A round lasts a second or two, in which one compilation or a neighbour's burst of CPU on
     * this 2-core machine moved a single measurement by 10-20 %.
     */
    static final int ROUNDS = 3;

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
        Measured m = measure(context, label, spec, runs, Duration.ofMinutes(10), ROUNDS);
        context.record(label, m.rate());
        return Row.of(label, Stats.rate(m.rate()) + " tasks/s", "≥ " + Stats.rate(TARGET) + " tasks/s",
                m.rate() >= TARGET, m.notes());
    }

    /**
     * Runs {@code runs} runs of {@code spec} in a fresh database after a warm-up on the same engine (see
     * {@link #warmUp}), {@code rounds} times (vacuumed in between); every task must succeed within {@code timeout}.
     * Returns the median round, its notes followed by every round's rate.
     */
    static Measured measure(BenchContext context, String label, DagSpec spec, int runs, Duration timeout, int rounds)
            throws Exception {
        BenchContext.progress(label + " ...");
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db,
                context.parallelism(PARALLELISM), context.slots(SLOTS))) {
            engine.register(spec);
            engine.start();
            int warmUpRuns = warmUp(engine, db, spec, Math.min(runs, WARM_UP_MAX_RUNS_PER_BATCH));
            List<Measured> measured = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                db.vacuumAnalyze();
                measured.add(measureRound(context, label, engine, db, spec, runs, round, warmUpRuns + round * runs,
                        timeout));
            }
            return median(measured, "rounds");
        }
    }

    /** The median of the rounds by rate, its notes followed by each round's rate; the only one when one was run. */
    static Measured median(List<Measured> rounds, String what) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        List<Measured> byRate = rounds.stream().sorted(Comparator.comparingDouble(Measured::rate)).toList();
        Measured median = byRate.get(byRate.size() / 2);
        return new Measured(median.rate(), median.cpuMicrosPerTask(), String.format(Locale.ROOT,
                "median of %d %s (%s tasks/s); %s", rounds.size(), what, String.join(", ",
                        rounds.stream().map(m -> Stats.rate(m.rate())).toList()), median.notes()));
    }

    /** The logical date of a round's first measured run: clear of the other rounds' and of the warm-up's. */
    static Instant roundBase(int round, int runs) {
        return Instant.now().minus(Duration.ofHours(round + 1)).minusSeconds(runs);
    }

    /** A measured run's id: its round and its number in the round. */
    static String measuredRunId(int round, int i) {
        return String.format(Locale.ROOT, "%s%d_%03d", MEASURED_RUN_PREFIX, round, i);
    }

    private static Measured measureRound(BenchContext context, String label, BenchEngine engine, BenchDatabase db,
                                         DagSpec spec, int runs, int round, int runsBefore, Duration timeout)
            throws Exception {
        int tasks = spec.tasks().size() * runs;
        Profile profile = Profile.start(label, db, tasks, "tasks");
        long cpuBefore = JvmUsage.processCpuNanos();
        var threadsBefore = JvmUsage.threadCpuNanos();
        WaitSampler backends = new WaitSampler(db.postgres().adminConnection(), db.name(), 50);
        Instant first = null;
        Instant base = roundBase(round, runs);
        for (int i = 0; i < runs; i++) {
            Instant at = engine.trigger(spec.dagId(), measuredRunId(round, i), base.plusSeconds(i));
            first = first == null ? at : first;
        }
        Instant triggered = Instant.now();
        engine.awaitRuns(spec.dagId(), runsBefore + runs, timeout, 20);
        long cpuNanos = JvmUsage.processCpuNanos() - cpuBefore;
        String byThread = JvmUsage.topThreads(threadsBefore, JvmUsage.threadCpuNanos(), cpuNanos, 3);
        long cpuMicros = cpuNanos / 1000;
        long backendMs = backends.stop();
        backends.close();
        if (profile != null) {
            context.addProfile(profile.stop());
        }

        List<BenchEngine.TaskTimes> times = measuredTaskTimes(engine, spec.dagId(), round);
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
                        + "write-back %s; CPU µs per task: JVM %s (%s), PostgreSQL backends %s; after %,d such runs "
                        + "(the warm-up's and the rounds' before)",
                tasks, Stats.seconds(micros),
                Stats.seconds(BenchEngine.micros(first, triggered)), occupancy, engine.parallelism(),
                p50(times, t -> BenchEngine.micros(t.queued(), t.committed())),
                p50(times, t -> BenchEngine.micros(t.queued(), t.start())),
                p50(times, t -> BenchEngine.micros(t.start(), t.end())),
                p50(times, t -> BenchEngine.micros(t.end(), t.committed())), Stats.rate(cpuMicros / (double) tasks),
                byThread.replace("main ", "main (the triggers) "),
                backendMs < 0 ? "n/a" : Stats.rate(backendMs * 1000.0 / tasks), runsBefore);
        return new Measured(rate, cpuMicros / (double) tasks, notes);
    }

    /** A round's measured tasks: those of the runs {@link #measuredRunId} named in that round. */
    static List<BenchEngine.TaskTimes> measuredTaskTimes(BenchEngine engine, String dagId, int round)
            throws Exception {
        return engine.taskTimes(dagId, MEASURED_RUN_PREFIX + round + "_");
    }

    /**
     * Runs batches of the measured work ({@code runsPerBatch} runs of the measured DAG, triggered back to back) until
     * the JIT has settled: {@link #WARM_UP_QUIET_BATCHES} batches in a row during which the compilers took less than a
     * tenth of the JVM's CPU (at most {@link #WARM_UP_MAX_BATCHES} batches). A server that has run for a while compiles little. Warming up on smaller work left more to compile in
     * the window: after batches of 10 runs the JIT took 40-50 % of the CPU while 100 runs were measured (after this
     * warm-up, 10-40 % depending on the sitting). The warm-up runs the measured DAG itself, not one shaped like it:
     * a DAG's first runs in a process deoptimize what the JIT compiled for the DAGs it ran before (its catalog entry
     * is new, its types meet call sites anew), and recompiling took each split process about 80 methods and a third
     * of a second of C2 inside the measured window. A server runs its DAGs again and again; that one-time cost is not
     * its throughput. Returns the runs used.
     */
    private static int warmUp(BenchEngine engine, BenchDatabase db, DagSpec shape, int runsPerBatch)
            throws Exception {
        // A day back: logical dates are unique per DAG, and the measured runs of this one take the last hours'.
        Instant base = Instant.now().minus(Duration.ofDays(1));
        int[] runs = {0};
        int quiet = 0;
        for (int batch = 0; batch < WARM_UP_MAX_BATCHES && quiet < WARM_UP_QUIET_BATCHES; batch++) {
            boolean settled = JvmUsage.jitQuietDuring(() -> {
                for (int i = 0; i < runsPerBatch; i++, runs[0]++) {
                    engine.trigger(shape.dagId(), "warm_up_" + runs[0], base.plusSeconds(runs[0]));
                }
                engine.awaitRuns(shape.dagId(), runs[0], Duration.ofMinutes(5), 20);
            });
            quiet = settled ? quiet + 1 : 0;
            db.vacuumAnalyze(); // as autovacuum would: the dead rows of the batches before slowed the next ones
        }
        return runs[0];
    }
}
