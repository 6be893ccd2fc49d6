package dev.weft.spi.dag;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The schedule strings a {@link DagSpec} may hold, and what each means. Shared by the DSL (to reject a bad
 * schedule when the DAG is built) and the engine (to compute intervals).
 */
public final class Schedules {
    public static final String ONCE = "@once";

    /** Airflow's cron presets. */
    public static final Map<String, String> PRESETS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@quarterly", "0 0 1 */3 *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@midnight", "0 0 * * *");

    private static final CronParser UNIX_CRON =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    /** The parser for the five-field UNIX cron expressions schedules use. */
    public static CronParser cronParser() {
        return UNIX_CRON;
    }

    /** The cron expression a schedule stands for (a preset is expanded), or empty when it is not a cron schedule. */
    public static Optional<String> cronExpression(String schedule) {
        if (schedule == null || ONCE.equals(schedule) || isInterval(schedule)) {
            return Optional.empty();
        }
        return Optional.of(PRESETS.getOrDefault(schedule, schedule));
    }

    /** Whether the schedule is a fixed interval written as an ISO-8601 duration ({@code PT5H}, {@code P1D}). */
    public static boolean isInterval(String schedule) {
        return schedule != null && (schedule.startsWith("P") || schedule.startsWith("p"));
    }

    public static Duration interval(String schedule) {
        return Duration.parse(schedule);
    }

    /** The ISO-8601 form a fixed interval is stored as. */
    public static String ofInterval(Duration interval) {
        return interval.toString();
    }

    /** What is wrong with a schedule string, or empty when it is valid. {@code null} (no schedule) is valid. */
    public static Optional<String> problem(String schedule) {
        if (schedule == null || ONCE.equals(schedule) || PRESETS.containsKey(schedule)) {
            return Optional.empty();
        }
        if (schedule.startsWith("@")) {
            return Optional.of("unknown schedule preset '" + schedule + "'; known: @once, "
                    + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet())));
        }
        if (isInterval(schedule)) {
            try {
                Duration d = Duration.parse(schedule);
                if (d.isNegative() || d.isZero()) {
                    return Optional.of("schedule interval must be positive, got " + schedule);
                }
                return Optional.empty();
            } catch (DateTimeParseException e) {
                return Optional.of("schedule '" + schedule + "' is not an ISO-8601 duration such as PT5H or P1D");
            }
        }
        String[] fields = schedule.trim().split("\\s+");
        if (fields.length != 5) {
            return Optional.of("cron expression '" + schedule + "' has " + fields.length
                    + " fields; expected 5 (minute hour day-of-month month day-of-week)");
        }
        try {
            UNIX_CRON.parse(schedule).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("cron expression '" + schedule + "' is invalid: " + e.getMessage());
        }
    }
}
