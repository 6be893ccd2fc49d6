package dev.weft.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput at 1,000, 10,000 and 100,000 no-op tasks, all of the same shape: runs of a 100-task DAG of independent
 * tasks (10, 100 and 1,000 runs, triggered back to back) with {@code max_active_runs} 16 (Airflow's default), so only
 * the amount of work and the size of the tables change, not how much the scheduler has in flight: 16 running runs of
 * 100 tasks keep the 256 slots busy. A flat cost per task shows as a flat rate and a flat CPU time per task. Without
 * the run limit, all 1,000 runs would be running at once and every scheduler pass would examine all of them, which
 * measures the examination of many running runs rather than scale (see docs/performance.md). One 100,000-task fan-out
 * would likewise measure the examination of one wide run.
 */
final class ScalingScenario implements Scenario {
    private static final int TASKS_PER_RUN = 100;
    private static final int MAX_ACTIVE_RUNS = 16;
    /** The 100,000-task case may run at most this fraction slower per task than the 10,000-task case to be "flat". */
    private static final double FLAT = 0.8;

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public String description() {
        return "throughput at 1,000, 10,000 and 100,000 no-op tasks (10, 100, 1,000 runs x 100 tasks, 16 at once)";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        List<Row> rows = new ArrayList<>();
        ThroughputScenario.Measured tenThousand = null;
        for (int runs : new int[]{10, 100, 1_000}) {
            int tasks = runs * TASKS_PER_RUN;
            String label = String.format(Locale.ROOT, "scaling: %,d tasks (%,d runs × %d, 16 running at once)",
                    tasks, runs, TASKS_PER_RUN);
            ThroughputScenario.Measured m = ThroughputScenario.measure(context, label,
                    BenchEngine.independent("bench_scaling", TASKS_PER_RUN, MAX_ACTIVE_RUNS), runs, Duration.ofMinutes(15),
                    1);
            String result = Stats.rate(m.rate()) + " tasks/s, " + Stats.rate(m.cpuMicrosPerTask()) + " µs CPU/task";
            if (runs == 100) {
                tenThousand = m;
            }
            if (runs == 1_000 && tenThousand != null) {
                boolean flat = m.rate() >= FLAT * tenThousand.rate();
                rows.add(Row.of(label, result, "≥ 80 % of the 10,000-task rate (flat cost per task)", flat,
                        String.format(Locale.ROOT, "%.0f %% of the 10,000-task rate; ", 100 * m.rate()
                                / tenThousand.rate()) + m.notes()));
            } else {
                rows.add(Row.info(label, result, m.notes()));
            }
        }
        return rows;
    }
}
