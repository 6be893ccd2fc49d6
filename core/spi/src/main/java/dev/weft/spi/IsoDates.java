package dev.weft.spi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Dates as Airflow writes and reads them. Run ids, {@code ts} and the API all use {@link #isoformat}:
 * {@code 2026-11-20T00:00:00+00:00}, with {@code .ffffff} only when the microseconds are not zero.
 */
public final class IsoDates {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private IsoDates() {
    }

    /** Python's {@code isoformat()} of a UTC datetime (finer than microseconds is dropped). */
    public static String isoformat(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String text = SECONDS.format(micros.atOffset(ZoneOffset.UTC));
        int micro = micros.getNano() / 1000;
        // micro + 1,000,000 has seven digits, the last six being micro padded with zeros: String.format parsed its
        // pattern at every call, and a waiting sensor formats a date at every poke.
        return (micro != 0 ? text + "." + Integer.toString(micro + 1_000_000).substring(1) : text) + "+00:00";
    }

    /**
     * Parses an ISO-8601 date-time with {@code Z} or an offset, one without (taken as UTC, as Airflow takes naive
     * datetimes), or a bare date (midnight UTC).
     *
     * @throws DateTimeParseException when the text is none of those
     */
    public static Instant parse(String text) {
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
}
