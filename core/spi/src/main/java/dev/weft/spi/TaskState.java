package dev.weft.spi;

import java.util.Locale;

/**
 * The states of a task instance, with Airflow's names and meaning. {@link #NONE} is "not yet scheduled"
 * (Airflow's null state).
 */
public enum TaskState {
    NONE, SCHEDULED, QUEUED, RUNNING, SUCCESS, FAILED, SKIPPED, UP_FOR_RETRY, UP_FOR_RESCHEDULE,
    UPSTREAM_FAILED, REMOVED, RESTARTING;

    /** The lower-case name used in the API and in the database, e.g. {@code up_for_retry}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code "success"}); {@code null} and {@code "none"} mean {@link #NONE}. */
    public static TaskState fromWire(String name) {
        if (name == null) {
            return NONE;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task state '" + name + "'; known: "
                    + java.util.Arrays.stream(values()).map(TaskState::wireName).toList());
        }
    }

    /** Finished states: nothing more happens to the task instance until it is cleared. */
    public boolean isFinished() {
        return this == SUCCESS || this == FAILED || this == SKIPPED || this == UPSTREAM_FAILED || this == REMOVED;
    }

    /** States that hold a worker and pool slot. */
    public boolean holdsSlot() {
        return this == QUEUED || this == RUNNING;
    }
}
