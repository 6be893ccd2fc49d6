package dev.weft.plugins.standard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Dates written and read the way Airflow does. */
final class AirflowDates {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private AirflowDates() {
    }

    /** Python's {@code isoformat()} of a UTC datetime: {@code 2024-05-10T13:45:12.123456+00:00}, micros only if non-zero. */
    static String isoformat(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String text = SECONDS.format(micros.atOffset(ZoneOffset.UTC));
        int micro = micros.getNano() / 1000;
        return (micro != 0 ? text + String.format(".%06d", micro) : text) + "+00:00";
    }

    /**
     * Parses an ISO-8601 date-time: with {@code Z} or an offset, without one (taken as UTC, as Airflow does with
     * naive datetimes), or a bare date (midnight UTC).
     */
    static Instant parse(String text) {
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        }
    }

    /** Whether a param value still holds an unrendered template (validation at DAG load sees those). */
    static boolean isTemplate(String value) {
        return value != null && (value.contains("{{") || value.contains("{%"));
    }
}
