package dev.weft.engine.template;

import dev.weft.spi.IsoDates;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Date strings the way Python and pendulum write them, for templates and run ids.
 *
 * <p>{@link #isoformat(Instant)} is the format of Airflow's generated run ids
 * ({@code scheduled__2026-11-20T00:00:00+00:00}) and of {@code {{ ts }}}: UTC written {@code +00:00}, and a
 * fractional part {@code .ffffff} only when the microseconds are not zero. Nanoseconds beyond the microsecond
 * are dropped (Python datetimes have none).
 */
public final class PyDates {
    private PyDates() {
    }

    /** {@code 2026-11-20T00:00:00+00:00}, or {@code 2026-11-20T00:00:00.123456+00:00} when micros ≠ 0. */
    public static String isoformat(Instant instant) {
        return IsoDates.isoformat(instant);
    }

    /** Python's {@code datetime.isoformat(sep)} of an aware date-time, in its own offset. */
    public static String isoformat(ZonedDateTime dateTime, char sep) {
        return isoformat(dateTime.toOffsetDateTime(), sep);
    }

    /** Python's {@code datetime.isoformat(sep)} of an aware date-time, in its own offset. */
    public static String isoformat(OffsetDateTime dateTime, char sep) {
        StringBuilder out = new StringBuilder(32);
        appendLocal(out, dateTime.toLocalDateTime(), sep);
        appendOffset(out, dateTime.getOffset(), true);
        return out.toString();
    }

    /** Python's {@code datetime.isoformat(sep)} of a naive date-time (no offset). */
    public static String isoformat(LocalDateTime dateTime, char sep) {
        StringBuilder out = new StringBuilder(26);
        appendLocal(out, dateTime, sep);
        return out.toString();
    }

    /** {@code ds}: {@code 2026-11-20} (UTC). */
    public static String ds(Instant instant) {
        LocalDateTime t = utc(instant);
        StringBuilder out = new StringBuilder(10);
        appendDate(out, t, "-");
        return out.toString();
    }

    /** {@code ds_nodash}: {@code 20261120} (UTC). */
    public static String dsNodash(Instant instant) {
        LocalDateTime t = utc(instant);
        StringBuilder out = new StringBuilder(8);
        appendDate(out, t, "");
        return out.toString();
    }

    /** {@code ts_nodash}: {@code 20261120T000000} (UTC, never a fraction). */
    public static String tsNodash(Instant instant) {
        LocalDateTime t = utc(instant);
        StringBuilder out = new StringBuilder(15);
        appendDate(out, t, "");
        out.append('T');
        pad2(out, t.getHour());
        pad2(out, t.getMinute());
        pad2(out, t.getSecond());
        return out.toString();
    }

    /** {@code ts_nodash_with_tz}: {@link #isoformat(Instant)} without {@code -} and {@code :}, e.g. {@code 20261120T000000+0000}. */
    public static String tsNodashWithTz(Instant instant) {
        return isoformat(instant).replace("-", "").replace(":", "");
    }

    private static LocalDateTime utc(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void appendLocal(StringBuilder out, LocalDateTime t, char sep) {
        appendDate(out, t, "-");
        out.append(sep);
        pad2(out, t.getHour());
        out.append(':');
        pad2(out, t.getMinute());
        out.append(':');
        pad2(out, t.getSecond());
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            out.append('.');
            String digits = Integer.toString(micros);
            out.append("000000", digits.length(), 6).append(digits);
        }
    }

    private static void appendDate(StringBuilder out, LocalDateTime t, String sep) {
        int year = t.getYear();
        String digits = Integer.toString(Math.abs(year));
        if (year < 0) {
            out.append('-');
        }
        if (digits.length() < 4) {
            out.append("0000", digits.length(), 4);
        }
        out.append(digits).append(sep);
        pad2(out, t.getMonthValue());
        out.append(sep);
        pad2(out, t.getDayOfMonth());
    }

    /** Appends {@code +HH:MM} (or {@code +HHMM} when {@code colon} is false), with seconds only when non-zero. */
    static void appendOffset(StringBuilder out, ZoneOffset offset, boolean colon) {
        int total = offset.getTotalSeconds();
        out.append(total < 0 ? '-' : '+');
        total = Math.abs(total);
        pad2(out, total / 3600);
        if (colon) {
            out.append(':');
        }
        pad2(out, (total / 60) % 60);
        if (total % 60 != 0) {
            if (colon) {
                out.append(':');
            }
            pad2(out, total % 60);
        }
    }

    static void pad2(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }
}
