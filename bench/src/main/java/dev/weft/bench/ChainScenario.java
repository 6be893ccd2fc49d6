package dev.weft.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency along a chain of no-op tasks. One run of 100 sequential tasks: each edge's latency is the downstream task's
 * start_date minus the upstream task's end_date (split at the downstream's queued_at into the scheduler's and the
 * worker's part), and the chain's wall time is trigger → run end. Then five runs of a 10-task chain, one after the
 * other: trigger → run end. After a warm-up of three 10-task runs.
 */
final class ChainScenario implements Scenario {
    private static final long EDGE_P50_TARGET_MICROS = 5_000;
    private static final long EDGE_P99_TARGET_MICROS = 50_000;
    private static final long CHAIN_10_TARGET_MICROS = 100_000;
    private static final int SHORT_RUNS = 5;

    @Override
    public String name() {
        return "chain";
    }

    @Override
    public String description() {
        return "latency: a 100-task chain (upstream end → downstream start p50/p99, wall time) and a 10-task chain";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("chain: 100 and 10 sequential tasks ...");
        List<Row> rows = new ArrayList<>();
        try (BenchDatabase db = context.freshDatabase(); BenchEngine engine = new BenchEngine(db, context.parallelism(32),
                context.slots(32))) {
            engine.register(BenchEngine.chain("bench_chain_100", 100));
            engine.register(BenchEngine.chain("bench_chain_10", 10));
            engine.register(BenchEngine.chain("bench_warm_up", 10));
            engine.start();
            Instant base = Instant.now().minusSeconds(3600);
            for (int i = 0; i < 3; i++) {
                engine.trigger("bench_warm_up", "warm_up_" + i, base.plusSeconds(i));
                engine.awaitRuns("bench_warm_up", i + 1, Duration.ofMinutes(2), 10);
            }
            db.vacuumAnalyze();

            Profile profile = Profile.start("chain: 100 sequential tasks", db, 99, "edges");
            Instant triggered = engine.trigger("bench_chain_100", "bench_chain", Instant.now());
            engine.awaitRuns("bench_chain_100", 1, Duration.ofMinutes(5), 10);
            if (profile != null) {
                context.addProfile(profile.stop());
            }
            rows.addAll(longChain(engine, triggered, "chain"));
            rows.add(shortChains(engine, "chain", CHAIN_10_TARGET_MICROS));
        }
        return rows;
    }

    /**
     * Runs bench_chain_10 {@link #SHORT_RUNS} times one after the other: trigger → run end, the median, and where
     * the time went (medians of trigger → first task running, with its steps, of the nine edges summed, of the ten
     * tasks' running times summed, and of last task end → run end).
     */
    static Row shortChains(BenchEngine engine, String label, long targetMicros) throws Exception {
        List<Long> totals = new ArrayList<>();
        List<Long> firstHops = new ArrayList<>();
        List<Long> toRunQueued = new ArrayList<>();
        List<Long> toRunStarted = new ArrayList<>();
        List<Long> toTaskQueued = new ArrayList<>();
        List<Long> edges = new ArrayList<>();
        List<Long> running = new ArrayList<>();
        List<Long> lastHops = new ArrayList<>();
        for (int i = 0; i < SHORT_RUNS; i++) {
            String runId = "bench_chain_" + i;
            Instant at = engine.trigger("bench_chain_10", runId, Instant.now());
            engine.awaitRuns("bench_chain_10", i + 1, Duration.ofMinutes(2), 10);
            BenchEngine.RunTimes run = engine.runTimes("bench_chain_10").get(i);
            requireSuccess(run);
            totals.add(BenchEngine.micros(at, run.end()));
            List<BenchEngine.TaskTimes> tasks = engine.taskTimes("bench_chain_10").stream()
                    .filter(t -> t.runId().equals(runId)).toList(); // ordered by task id: the chain's order
            firstHops.add(BenchEngine.micros(at, tasks.get(0).start()));
            toRunQueued.add(BenchEngine.micros(at, run.queued()));
            toRunStarted.add(BenchEngine.micros(run.queued(), run.start()));
            toTaskQueued.add(BenchEngine.micros(run.start(), tasks.get(0).queued()));
            long edgeSum = 0;
            long runningSum = 0;
            for (int t = 0; t < tasks.size(); t++) {
                runningSum += BenchEngine.micros(tasks.get(t).start(), tasks.get(t).end());
                if (t > 0) {
                    edgeSum += BenchEngine.micros(tasks.get(t - 1).end(), tasks.get(t).start());
                }
            }
            edges.add(edgeSum);
            running.add(runningSum);
            lastHops.add(BenchEngine.micros(tasks.get(tasks.size() - 1).end(), run.end()));
        }
        List<Long> sorted = totals.stream().sorted().toList();
        long median = Stats.percentile(sorted, 50);
        return Row.of(label + ": 10 sequential tasks, total", "median " + Stats.ms(median),
                "≤ " + Stats.ms(targetMicros), median <= targetMicros,
                String.format(Locale.ROOT, "trigger → run end, %d runs one after the other: min %s, max %s. "
                                + "Medians: trigger → first task running %s (→ run queued_at %s, → run started %s, → "
                                + "first task queued %s), 9 edges %s, 10 tasks running %s, last task end → run end %s",
                        SHORT_RUNS, Stats.ms(sorted.get(0)), Stats.ms(sorted.get(sorted.size() - 1)),
                        Stats.ms(median(firstHops)), Stats.ms(median(toRunQueued)), Stats.ms(median(toRunStarted)),
                        Stats.ms(median(toTaskQueued)), Stats.ms(median(edges)),
                        Stats.ms(median(running)), Stats.ms(median(lastHops))));
    }

    private static long median(List<Long> values) {
        return Stats.percentile(values.stream().sorted().toList(), 50);
    }

    /** The edges of the run of bench_chain_100 triggered at {@code triggered}, once it ended. */
    static List<Row> longChain(BenchEngine engine, Instant triggered, String label) throws Exception {
        BenchEngine.RunTimes run = engine.runTimes("bench_chain_100").get(0);
        requireSuccess(run);
        Map<String, BenchEngine.TaskTimes> byTask = new HashMap<>();
        for (BenchEngine.TaskTimes t : engine.taskTimes("bench_chain_100")) {
            byTask.put(t.taskId(), t);
        }
        List<Long> edges = new ArrayList<>();
        List<Long> writeBack = new ArrayList<>();
        List<Long> toPass = new ArrayList<>();
        List<Long> toClaim = new ArrayList<>();
        List<Long> running = new ArrayList<>();
        for (int i = 1; i < 100; i++) {
            BenchEngine.TaskTimes up = byTask.get(BenchEngine.taskId(i - 1));
            BenchEngine.TaskTimes down = byTask.get(BenchEngine.taskId(i));
            edges.add(BenchEngine.micros(up.end(), down.start()));
            writeBack.add(BenchEngine.micros(up.end(), up.committed()));
            toPass.add(BenchEngine.micros(up.committed(), down.queued()));
            toClaim.add(BenchEngine.micros(down.queued(), down.start()));
        }
        byTask.values().forEach(t -> running.add(BenchEngine.micros(t.start(), t.end())));
        edges.sort(null);
        writeBack.sort(null);
        toPass.sort(null);
        toClaim.sort(null);
        running.sort(null);
        long stalls = edges.stream().filter(e -> e > 1_000_000).count();
        long p50 = Stats.percentile(edges, 50);
        long p99 = Stats.percentile(edges, 99);
        BenchEngine.TaskTimes first = byTask.get(BenchEngine.taskId(0));
        BenchEngine.TaskTimes last = byTask.get(BenchEngine.taskId(99));
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(label + ": 100 sequential tasks, edge latency",
                "p50 " + Stats.ms(p50) + ", p99 " + Stats.ms(p99),
                "p50 ≤ " + Stats.ms(EDGE_P50_TARGET_MICROS) + ", p99 ≤ " + Stats.ms(EDGE_P99_TARGET_MICROS),
                p50 <= EDGE_P50_TARGET_MICROS && p99 <= EDGE_P99_TARGET_MICROS,
                String.format(Locale.ROOT, "upstream end → downstream start, 99 edges; max %s%s. Split (p50): "
                                + "upstream outcome committed %s, → start of the scheduler pass that queued the "
                                + "downstream %s, → downstream claimed %s. A task's start → end p50 %s",
                        Stats.ms(edges.get(edges.size() - 1)),
                        stalls == 0 ? "" : " (" + stalls + " over 1 s)",
                        Stats.ms(Stats.percentile(writeBack, 50)),
                        Stats.ms(Stats.percentile(toPass, 50)), Stats.ms(Stats.percentile(toClaim, 50)),
                        Stats.ms(Stats.percentile(running, 50)))));
        rows.add(Row.info(label + ": 100 sequential tasks, wall time",
                Stats.ms(BenchEngine.micros(triggered, run.end())),
                String.format(Locale.ROOT, "trigger → run end; trigger → first task running %s, last task end → "
                                + "run end %s", Stats.ms(BenchEngine.micros(triggered, first.start())),
                        Stats.ms(BenchEngine.micros(last.end(), run.end())))));
        return rows;
    }

    private static void requireSuccess(BenchEngine.RunTimes run) {
        if (!"success".equals(run.state())) {
            throw new IllegalStateException("run " + run.runId() + " ended " + run.state());
        }
    }
}
