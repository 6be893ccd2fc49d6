package dev.weft.spi.dag;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Entry points of the DAG DSL. */
public final class Dag {
    private Dag() {
    }

    public static DagBuilder builder(String dagId) {
        return new DagBuilder(dagId);
    }

    /** {@code chain(a, b, c)} is {@code a >> b >> c}: each task depends on the one before it. */
    public static void chain(AbstractTaskBuilder<?>... tasks) {
        for (int i = 1; i < tasks.length; i++) {
            tasks[i].after(tasks[i - 1]);
        }
    }

    /** Midnight UTC {@code days} days before today (Airflow's {@code days_ago}). */
    public static Instant daysAgo(int days) {
        return LocalDate.now(ZoneOffset.UTC).minusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
