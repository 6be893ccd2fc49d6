package dev.weft.bench;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The production topology: 1 API server ({@code weft server} without scheduler and worker), 2 {@code weft
 * scheduler}s and 2 {@code weft worker}s as separate processes on one PostgreSQL, woken by each other through
 * {@code LISTEN/NOTIFY}. Measured as the chain, trigger and throughput scenarios measure one process: the edges of a
 * 100-task chain, five 10-task chains, 100 REST triggers (to the API server) of a one-task DAG, and 100 runs × 100
 * no-op tasks, whose rate is compared with the single-process figure when the throughput scenario ran in the same
 * sitting ({@code ./weft bench throughput chain trigger split}). Runs other than the REST triggers are triggered
 * from this process through the engine's run service, as the API server triggers them (its NOTIFY wakes the
 * schedulers), so that the triggering's own HTTP and password checks are not what is measured.
 */
final class SplitScenario implements Scenario {
    private static final long CHAIN_10_TARGET_MICROS = 150_000;
    private static final long TRIGGER_TARGET_P50_MICROS = 30_000;
    private static final double THROUGHPUT_SHARE_TARGET = 0.8;
    private static final int PARALLELISM = 256;
    private static final int RUNS = 100;
    private static final int WARM_UP_MIN_BATCHES = 3;
    private static final int WARM_UP_MAX_BATCHES = 30;

    @Override
    public String name() {
        return "split";
    }

    @Override
    public String description() {
        return "1 API server, 2 schedulers, 2 workers as processes: chain edges, 10-task chain, REST trigger, "
                + "throughput of 100 runs x 100 tasks";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("split: starting 1 API server, 2 schedulers, 2 workers ...");
        List<Row> rows = new ArrayList<>();
        int parallelism = context.parallelism(PARALLELISM);
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db, parallelism, 0)) {
            engine.register(BenchEngine.chain("bench_chain_100", 100));
            engine.register(BenchEngine.chain("bench_chain_10", 10));
            engine.register(BenchEngine.chain("bench_warm_up", 10));
            engine.register(BenchEngine.chain("bench_warm_up_chain", 100));
            engine.register(BenchEngine.independent(TriggerScenario.DAG, 1));
            engine.register(BenchEngine.independent("bench_runs", 100));
            BenchTopology topology = BenchTopology.start(db, 2, 2, parallelism,
                    Math.max(1, context.slots(parallelism) / 2));
            // The throughput right after its own warm-up, nothing else in between, so that its window sees the
            // processes as that warm-up left them.
            int warmUpRuns = warmUpForThroughput(engine, topology, db);
            db.vacuumAnalyze();
            BenchContext.progress("split: throughput, 100 runs × 100 tasks ...");
            Row throughput = throughput(context, engine, topology, db, parallelism, warmUpRuns);

            warmUpChains(engine);
            db.vacuumAnalyze();
            BenchContext.progress("split: chains ...");
            Instant triggered = engine.trigger("bench_chain_100", "bench_chain", Instant.now());
            engine.awaitRuns("bench_chain_100", 1, Duration.ofMinutes(5), 10);
            rows.addAll(ChainScenario.longChain(engine, triggered, "split"));
            rows.add(ChainScenario.shortChains(engine, "split", CHAIN_10_TARGET_MICROS));

            BenchContext.progress("split: 100 REST triggers ...");
            Connection c = db.measure();
            db.closeFirst(c);
            rows.add(TriggerScenario.measure("split: REST trigger accepted → first task running", c,
                    runId -> topology.trigger(TriggerScenario.DAG, runId), TRIGGER_TARGET_P50_MICROS,
                    "the API server's trigger wakes a scheduler, whose queueing wakes a worker"));
            rows.add(throughput);
        }
        return rows;
    }

    /**
     * Class loading and the JIT of five fresh JVMs are not what is measured: three chains, then batches of the measured
     * throughput work (100 runs × 100 tasks of the measured DAG itself, for the reason ThroughputScenario's warm-up
     * gives), vacuumed after each, until {@link ThroughputScenario#WARM_UP_QUIET_BATCHES} batches in a row in which
     * the JIT compilers' threads took less than a tenth of the schedulers' CPU and of the workers' (at most
     * {@link ThroughputScenario#WARM_UP_MAX_BATCHES}): a scheduler pass runs a dozen statements through Jdbi and the
     * driver, a wide path of code that reaches the C2 compiler's thresholds only after thousands of passes. Returns
     * the warm-up runs of 100 tasks.
     */
    private static int warmUpForThroughput(BenchEngine engine, BenchTopology topology, BenchDatabase db)
            throws Exception {
        // A day back: logical dates are unique per DAG, and the measured runs of this one take the last hours'.
        Instant base = Instant.now().minus(Duration.ofDays(1));
        for (int i = 0; i < 3; i++) {
            engine.trigger("bench_warm_up", "warm_up_" + i, base.plusSeconds(i));
            engine.awaitRuns("bench_warm_up", i + 1, Duration.ofMinutes(2), 10);
        }
        int runs = 0;
        int quiet = 0;
        for (int batch = 0; batch < ThroughputScenario.WARM_UP_MAX_BATCHES
                && quiet < ThroughputScenario.WARM_UP_QUIET_BATCHES; batch++) {
            BenchTopology.Ticks before = topology.ticks();
            for (int i = 0; i < RUNS; i++, runs++) {
                engine.trigger("bench_runs", "warm_up_" + runs, base.plusSeconds(runs));
            }
            engine.awaitRuns("bench_runs", runs, Duration.ofMinutes(5), 20);
            Map<String, Map<String, Long>> used = topology.usedByKind(before, topology.ticks());
            double jit = jitShare(used);
            // As autovacuum would: this server's PostgreSQL has it off, and batches slowed from 5 s to 22 s as the
            // dead rows of the batches before piled up, which left the processes waiting, not warming up.
            db.vacuumAnalyze();
            BenchContext.progress(String.format(Locale.ROOT, "split: warm-up batch %d of 100 runs × 100 tasks: the JIT "
                    + "took up to %.0f %% of a kind of process's CPU; %s", batch + 1, 100 * jit, cpuByThread(used)));
            quiet = jit < 0.1 ? quiet + 1 : 0;
        }
        return runs;
    }

    /**
     * Runs of a 100-task chain until one is no faster than the one before (at least {@link #WARM_UP_MIN_BATCHES}, at
     * most {@link #WARM_UP_MAX_BATCHES}): independent tasks leave a worker's path from one task to the next (its
     * write-back scheduling and queueing the downstream) cold, which a worker that has run chains for a while has
     * compiled.
     */
    private static void warmUpChains(BenchEngine engine) throws Exception {
        Instant base = Instant.now().minusSeconds(3600);
        long previousChain = Long.MAX_VALUE;
        for (int i = 0; i < WARM_UP_MAX_BATCHES; i++) {
            Instant at = engine.trigger("bench_warm_up_chain", "warm_up_" + i, base.plusSeconds(i));
            engine.awaitRuns("bench_warm_up_chain", i + 1, Duration.ofMinutes(2), 10);
            long took = BenchEngine.micros(at, engine.runTimes("bench_warm_up_chain").get(i).end());
            if (i + 1 >= WARM_UP_MIN_BATCHES && took >= previousChain) {
                break;
            }
            previousChain = took;
        }
    }

    /**
     * The JIT compilers' largest share of a kind of process's CPU (the schedulers', the workers') in what
     * {@link BenchTopology#usedByKind} read: the workers' CPU outweighs the schedulers', whose JIT a share of all the
     * processes' CPU hid. 0 when the threads' times cannot be read (no /proc), so that the warm-up then stops after its
     * least number of batches.
     */
    private static double jitShare(Map<String, Map<String, Long>> used) {
        double largest = 0;
        for (String kind : List.of("scheduler", "worker")) {
            Map<String, Long> groups = used.getOrDefault(kind, Map.of());
            long all = groups.values().stream().mapToLong(Long::longValue).sum();
            if (all > 0) {
                largest = Math.max(largest, (double) groups.getOrDefault("JIT", 0L) / all);
            }
        }
        return largest;
    }

    private static Row throughput(BenchContext context, BenchEngine engine, BenchTopology topology, BenchDatabase db,
                                  int parallelism, int warmUpRuns) throws Exception {
        List<ThroughputScenario.Measured> rounds = new ArrayList<>();
        for (int round = 0; round < ThroughputScenario.ROUNDS; round++) {
            if (round > 0) {
                db.vacuumAnalyze();
            }
            rounds.add(throughputRound(context, engine, topology, db, round, warmUpRuns + round * RUNS));
        }
        ThroughputScenario.Measured m = ThroughputScenario.median(rounds, "rounds");
        Double single = context.recorded(ThroughputScenario.RUNS_LABEL);
        String comparison = single == null
                ? "the single-process figure was not measured in this sitting (add the throughput scenario)"
                : String.format(Locale.ROOT, "%.0f %% of the single-process %s tasks/s measured in this sitting",
                        100 * m.rate() / single, Stats.rate(single));
        return Row.of("split: throughput, 100 runs × 100 tasks", Stats.rate(m.rate()) + " tasks/s",
                "≥ " + Math.round(THROUGHPUT_SHARE_TARGET * 100) + " % of single-process",
                single == null ? null : m.rate() >= THROUGHPUT_SHARE_TARGET * single,
                String.format(Locale.ROOT, "%s; parallelism %d, two workers of %d slots; %s; after a warm-up of %,d"
                        + " runs × 100 tasks", m.notes(), parallelism, Math.max(1, context.slots(parallelism) / 2),
                        comparison, warmUpRuns));
    }

    /** One round of 100 runs × 100 tasks: its rate, and where the CPU went in it. */
    private static ThroughputScenario.Measured throughputRound(BenchContext context, BenchEngine engine,
                                                               BenchTopology topology, BenchDatabase db, int round,
                                                               int runsBefore) throws Exception {
        Map<String, Long> cpuBefore = topology.cpuNanosByKind();
        BenchTopology.Ticks threadsBefore = topology.ticks();
        WaitSampler backends = new WaitSampler(db.postgres().adminConnection(), db.name(), 50);
        ServerStatements statements = ServerStatements.start(db.postgres(), db.name());
        Instant base = ThroughputScenario.roundBase(round, RUNS);
        Instant first = null;
        for (int i = 0; i < RUNS; i++) {
            Instant at = engine.trigger("bench_runs", ThroughputScenario.measuredRunId(round, i), base.plusSeconds(i));
            first = first == null ? at : first;
        }
        engine.awaitRuns("bench_runs", runsBefore + RUNS, Duration.ofMinutes(10), 20);
        String cpu = cpuPerTask(cpuBefore, topology.cpuNanosByKind(), backends) + "; "
                + cpuByThread(topology.usedByKind(threadsBefore, topology.ticks()));
        String title = "split: throughput, round " + (round + 1);
        context.addProfile(List.of("### " + title, "", backendsByClient(topology, backends), ""));
        if (statements != null) {
            context.addProfile(statements.stop(title, RUNS * 100L, "task"));
        }
        List<BenchEngine.TaskTimes> times = ThroughputScenario.measuredTaskTimes(engine, "bench_runs", round);
        long ok = times.stream().filter(t -> t.state().equals("success")).count();
        if (ok != RUNS * 100L) {
            throw new IllegalStateException("split throughput: " + ok + " of " + RUNS * 100 + " tasks succeeded; "
                    + "states: " + engine.taskStates("bench_runs"));
        }
        Instant lastEnd = times.stream().map(BenchEngine.TaskTimes::end).max(Comparator.naturalOrder()).orElseThrow();
        long micros = BenchEngine.micros(first, lastEnd);
        // The JVM CPU per task is the single process's figure; here the notes give each kind of process's.
        return new ThroughputScenario.Measured(ok / (micros / 1e6), Double.NaN, String.format(Locale.ROOT,
                "%,d tasks in %s, first trigger → last task end; %s", ok, Stats.seconds(micros), cpu));
    }

    /**
     * Where the scheduler's and the worker's CPU went in the window, by thread group (their loop threads, JIT, GC,
     * the virtual threads' carriers, ...): each group's share of its kind's ticks, the largest four.
     */
    private static String cpuByThread(Map<String, Map<String, Long>> used) {
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("scheduler", "worker")) {
            Map<String, Long> groups = used.getOrDefault(kind, Map.of());
            long total = groups.values().stream().mapToLong(Long::longValue).sum();
            if (total > 0) {
                kinds.add(kind + " " + String.join(", ", groups.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                        .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue() / total))
                        .toList()));
            }
        }
        return kinds.isEmpty() ? "by thread: n/a" : "by thread: " + String.join("; ", kinds);
    }

    /** The PostgreSQL backends' CPU per task, by the process they serve and what for (the largest first). */
    private static String backendsByClient(BenchTopology topology, WaitSampler backends) {
        Map<String, Long> millis = new java.util.HashMap<>();
        backends.backendsCpuMillis().forEach((backend, ms) -> millis.merge(
                topology.nameOf(backend.client()) + " " + backend.purpose(), ms, Long::sum));
        double thousands = RUNS * 100 / 1000.0;
        return "PostgreSQL backends' CPU µs per task, by client: " + String.join(", ", millis.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / thousands)).toList());
    }

    /**
     * Where the CPU went, per task: each kind of process (two of a kind summed) and PostgreSQL's backends.
     * CPU time per task is what the topology costs, and it moves less with the machine's load than wall time does.
     */
    private static String cpuPerTask(Map<String, Long> before, Map<String, Long> after, WaitSampler backends)
            throws java.sql.SQLException {
        long backendMs = backends.stop();
        backends.close();
        // ms per 1,000 tasks is µs per task.
        double thousands = RUNS * 100 / 1000.0;
        StringBuilder text = new StringBuilder("CPU µs per task: ");
        after.forEach((kind, nanos) -> text.append(String.format(Locale.ROOT, "%s %.0f, ", kind,
                (nanos - before.getOrDefault(kind, 0L)) / 1e6 / thousands)));
        text.append(backendMs < 0 ? "PostgreSQL n/a"
                : String.format(Locale.ROOT, "PostgreSQL backends %.0f", backendMs / thousands));
        return text.toString();
    }
}
