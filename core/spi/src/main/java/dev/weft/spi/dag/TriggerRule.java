package dev.weft.spi.dag;

import java.util.Arrays;
import java.util.Locale;

/** When a task may run, given the states of its upstream tasks (Airflow's trigger rules). */
public enum TriggerRule {
    ALL_SUCCESS, ALL_FAILED, ALL_DONE, ONE_SUCCESS, ONE_FAILED, ONE_DONE, NONE_FAILED,
    NONE_FAILED_MIN_ONE_SUCCESS, NONE_SKIPPED, ALL_SKIPPED, ALWAYS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a rule name; Airflow's legacy aliases {@code none_failed_or_skipped} and {@code dummy} are accepted. */
    public static TriggerRule fromWire(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "none_failed_or_skipped": return NONE_FAILED_MIN_ONE_SUCCESS;
            case "dummy": return ALWAYS;
            default:
                for (TriggerRule rule : values()) {
                    if (rule.wireName().equals(n)) {
                        return rule;
                    }
                }
                throw new IllegalArgumentException("unknown trigger rule '" + name + "'; known: "
                        + Arrays.stream(values()).map(TriggerRule::wireName).toList());
        }
    }
}
