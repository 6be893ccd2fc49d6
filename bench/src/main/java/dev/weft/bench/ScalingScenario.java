package dev.weft.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput at 1,000, 10,000 and 100,000 no-op tasks, all of the same shape: runs of a 100-task DAG of independent
 * tasks (10, 100 and 1,000 runs), so only the amount of work changes. A flat cost per task shows as a flat rate and a
 * flat CPU time per task. The shape is the throughput scenario's first case; one 100,000-task fan-out would measure
 * something else (the scheduler examines every task instance of a run in each pass, so a wide run costs more per task
 * as it grows) and is left to the throughput scenario's fan-out row.
 */
final class ScalingScenario implements Scenario {
    private static final int TASKS_PER_RUN = 100;
    /** The 100,000-task case may run at most this fraction slower per task than the 10,000-task case to be "flat". */
    private static final double FLAT = 0.8;

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public String description() {
        return "throughput at 1,000, 10,000 and 100,000 no-op tasks (10, 100, 1,000 runs x 100 tasks)";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        List<Row> rows = new ArrayList<>();
        ThroughputScenario.Measured tenThousand = null;
        for (int runs : new int[]{10, 100, 1_000}) {
            int tasks = runs * TASKS_PER_RUN;
            String label = String.format(Locale.ROOT, "scaling: %,d tasks (%,d runs × %d)", tasks, runs,
                    TASKS_PER_RUN);
            ThroughputScenario.Measured m = ThroughputScenario.measure(context, label,
                    BenchEngine.independent("bench_scaling", TASKS_PER_RUN), runs, Duration.ofMinutes(15));
            String result = Stats.rate(m.rate()) + " tasks/s, " + m.cpuMicrosPerTask() + " µs CPU/task";
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
