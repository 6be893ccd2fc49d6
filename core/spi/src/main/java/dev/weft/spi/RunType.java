package dev.weft.spi;

import java.util.Locale;

/** How a DAG run came to be; the prefix of generated run ids ({@code scheduled__2026-11-20T00:00:00+00:00}). */
public enum RunType {
    SCHEDULED, MANUAL, BACKFILL, DATASET_TRIGGERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunType fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The run type a run id implies: its {@code <type>__} prefix, or {@link #MANUAL} for any other id. */
    public static RunType ofRunId(String runId) {
        for (RunType type : values()) {
            if (runId.startsWith(type.wireName() + "__")) {
                return type;
            }
        }
        return MANUAL;
    }
}
