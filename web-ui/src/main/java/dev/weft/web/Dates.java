package dev.weft.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Dates and durations as the pages show them: UTC, to the second. */
public final class Dates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Dates() {
    }

    /** {@code 2026-12-06 16:00:00}, or null for none (a template's section then shows nothing). */
    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /** {@code 1.25 s}, {@code 3 min 5 s}, {@code 2 h 1 min}; null when either end is missing. */
    public static String duration(Instant start, Instant end) {
        if (start == null || end == null) {
            return null;
        }
        return duration(Duration.between(start, end));
    }

    /** A duration given in seconds (as stored for task instances), written as {@link #duration(Instant, Instant)}. */
    public static String seconds(double seconds) {
        return duration(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static String duration(Duration d) {
        if (d.toSeconds() < 60) {
            // Without String.format: the grid writes thousands of these.
            long hundredths = (d.toMillis() + 5) / 10;
            long cents = hundredths % 100;
            return hundredths / 100 + (cents < 10 ? ".0" : ".") + cents + " s";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}
