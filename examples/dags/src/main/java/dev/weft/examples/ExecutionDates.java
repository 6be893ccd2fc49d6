package dev.weft.examples;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code execution_date_fn} functions: they map a sensor's logical date to the logical dates of another DAG. */
public final class ExecutionDates {
    /** The schedule of {@code execution_date_fn_dag_2}: every 5 hours. */
    public static final Duration EVERY_5_HOURS = Duration.ofHours(5);

    private ExecutionDates() {
    }

    /**
     * For a run of the 5-hourly DAG at {@code logicalDate} (covering {@code [logicalDate, logicalDate + 5 h)}): the
     * logical date of the daily ({@code @daily}, UTC) run for the latest day that has ended when this interval ends.
     * A 5-hourly run at 2026-11-21T22:00Z ends at 2026-11-22T03:00Z, so it waits for the daily run of 2026-11-21;
     * one at 2026-11-22T03:00Z also waits for 2026-11-21. Airflow's ExternalTaskSensor needs the dates to match
     * exactly; a daily and a 5-hourly schedule only meet every 5 days without such a function.
     *
     * <p>A function may return several dates; the sensor then waits until every one of them is in an allowed state.
     */
    public static List<Instant> latestCompleteDay(Instant logicalDate) {
        Instant intervalEnd = logicalDate.plus(EVERY_5_HOURS);
        return List.of(intervalEnd.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1)));
    }
}
