package dev.weft.testkit;

import dev.weft.spi.RunType;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Airflow-style run ids and ISO dates, for tests that need to predict them. */
public final class RunIds {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private RunIds() {
    }

    /**
     * An instant as Python's {@code isoformat()} writes a UTC datetime: {@code 2024-05-10T13:45:12+00:00}, with
     * {@code .ffffff} only when the microseconds are not zero (finer digits are dropped).
     */
    public static String isoformat(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String text = SECONDS.format(micros.atOffset(ZoneOffset.UTC));
        int micro = micros.getNano() / 1000;
        if (micro != 0) {
            text += String.format(".%06d", micro);
        }
        return text + "+00:00";
    }

    /** {@code <run_type>__<isoformat(logicalDate)>}, e.g. {@code manual__2024-05-10T13:45:12+00:00}. */
    public static String of(RunType runType, Instant logicalDate) {
        return runType.wireName() + "__" + isoformat(logicalDate);
    }
}
