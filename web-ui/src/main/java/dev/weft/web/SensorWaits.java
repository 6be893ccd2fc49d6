package dev.weft.web;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sensor waits for, read from its rendered params and the files its type says it watches: the path or glob,
 * or the other DAG, its tasks and the logical date looked at (the run's, shifted by {@code execution_delta}).
 */
final class SensorWaits {
    /** How the engine's sensor runner logs a poke that ended the try (TaskRunner). */
    private static final List<String> FINAL_ANSWERS = List.of("Condition met after", "Sensor failed:",
            "Sensor has timed out");

    /** The other DAG an external-task sensor looks at, and at which logical date (null: computed by a function). */
    record External(String dagId, List<String> taskIds, Instant logicalDate, String dateRule) {
        String tasksText() {
            return taskIds.isEmpty() ? "the whole run" : String.join(", ", taskIds);
        }
    }

    private SensorWaits() {
    }

    /** The external DAG a sensor's params point at, or null when they name none. */
    static External external(Map<String, Object> params, Instant logicalDate) {
        if (!(params.get("external_dag_id") instanceof String dagId) || dagId.isBlank()) {
            return null;
        }
        List<String> tasks = new ArrayList<>();
        if (params.get("external_task_id") instanceof String one && !one.isBlank()) {
            tasks.add(one);
        }
        if (params.get("external_task_ids") instanceof List<?> many) {
            many.forEach(t -> tasks.add(String.valueOf(t)));
        }
        Object fn = params.get("execution_date_fn");
        if (fn != null) {
            return new External(dagId, tasks, null, "dates computed by " + fn + " from " + Dates.format(logicalDate));
        }
        Object date = params.get("execution_date");
        if (date != null) {
            return new External(dagId, tasks, null, "the date execution_date renders (" + date + ")");
        }
        Object delta = params.get("execution_delta");
        if (delta == null) {
            return new External(dagId, tasks, logicalDate, "the same logical date");
        }
        Duration d = duration(delta);
        if (d == null) {
            return new External(dagId, tasks, null, "execution_delta " + delta + " (not a duration)");
        }
        return new External(dagId, tasks, logicalDate.minus(d), "this run's logical date − " + describe(d));
    }

    /** Seconds, or ISO-8601 such as {@code PT1H} (what the params binder accepts); null otherwise. */
    static Duration duration(Object value) {
        if (value instanceof Number n) {
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        try {
            return Duration.parse(String.valueOf(value).strip());
        } catch (DateTimeParseException e) {
            try {
                return Duration.ofMillis(Math.round(Double.parseDouble(String.valueOf(value).strip()) * 1000));
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }

    private static String describe(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    /**
     * The sensor's last answer, from the try's log: the engine writes {@code Not yet (why); next poke at …} after each
     * poke that is not ready, once for a run of identical answers (the panel shows the next poke from the task
     * instance, so the line's own, possibly older, one is left out). Null when the try has not poked yet.
     */
    static String lastAnswer(List<String> logLines) {
        for (int i = logLines.size() - 1; i >= 0; i--) {
            String line = logLines.get(i);
            int at = line.indexOf("Not yet");
            if (at >= 0) {
                int next = line.indexOf("; next poke at ", at);
                return next < 0 ? line.substring(at) : line.substring(at, next);
            }
            for (String outcome : FINAL_ANSWERS) {
                if (line.contains(outcome)) {
                    return line.substring(line.indexOf(outcome));
                }
            }
        }
        return null;
    }
}
