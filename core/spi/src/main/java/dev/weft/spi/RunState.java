package dev.weft.spi;

import java.util.Locale;

/** The states of a DAG run, as in Airflow. */
public enum RunState {
    QUEUED, RUNNING, SUCCESS, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunState fromWire(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown DAG run state '" + name + "'; known: queued, running, success, failed");
        }
    }

    public boolean isFinished() {
        return this == SUCCESS || this == FAILED;
    }
}
