package dev.weft.engine.runs;

import dev.weft.spi.RunType;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Airflow's run ids: {@code <run_type>__<logical date ISO>}, e.g. {@code scheduled__2026-11-20T00:00:00+00:00}. */
public final class RunIds {
    /** Airflow's {@code allowed_run_id_pattern}. */
    public static final Pattern ALLOWED = Pattern.compile("^[A-Za-z0-9_.~:+-]+$");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private RunIds() {
    }

    public static String generate(RunType type, Instant logicalDate) {
        return type.wireName() + "__" + isoformat(logicalDate);
    }

    /** Python's {@code isoformat()} of a UTC instant: {@code +00:00}, microseconds only when non-zero. */
    public static String isoformat(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        var utc = micros.atOffset(ZoneOffset.UTC);
        return (utc.getNano() == 0 ? SECONDS : MICROS).format(utc) + "+00:00";
    }
}
