package dev.weft.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A date-time as templates see it: a small stand-in for Airflow's pendulum {@code DateTime}.
 *
 * <p>It renders like pendulum ({@code {{ logical_date }}} → {@code 2026-11-20T00:00:00+00:00}, a fraction only when
 * the microseconds are not zero) and offers, from a template: {@code .year .month .day .hour .minute .second
 * .microsecond .int_timestamp}, {@code .isoformat()}, {@code .isoformat(' ')}, {@code .strftime(fmt)} (Python
 * directives, see {@link Strftime}), {@code .timestamp()}, {@code .weekday()}, {@code .isoweekday()},
 * {@code .to_date_string()}, {@code .to_datetime_string()}, {@code .in_timezone('Europe/Amsterdam')} (alias
 * {@code in_tz}), and pendulum's {@code .add(days=1, hours=2)} / {@code .subtract(weeks=1)} with the keyword
 * arguments {@code years months weeks days hours minutes seconds microseconds}. Values compare ({@code <},
 * {@code ==}) by instant. Immutable and thread-safe.
 */
public final class PyDateTime implements Comparable<PyDateTime> {
    private final ZonedDateTime value;

    private PyDateTime(ZonedDateTime value) {
        this.value = value.truncatedTo(ChronoUnit.MICROS);
    }

    /** The instant in UTC (how Airflow puts dates into the template context). */
    public static PyDateTime of(Instant instant) {
        return new PyDateTime(Objects.requireNonNull(instant, "instant").atZone(ZoneOffset.UTC));
    }

    public static PyDateTime of(ZonedDateTime dateTime) {
        return new PyDateTime(Objects.requireNonNull(dateTime, "dateTime"));
    }

    public Instant toInstant() {
        return value.toInstant();
    }

    public ZonedDateTime toZonedDateTime() {
        return value;
    }

    public int getYear() {
        return value.getYear();
    }

    public int getMonth() {
        return value.getMonthValue();
    }

    public int getDay() {
        return value.getDayOfMonth();
    }

    public int getHour() {
        return value.getHour();
    }

    public int getMinute() {
        return value.getMinute();
    }

    public int getSecond() {
        return value.getSecond();
    }

    public int getMicrosecond() {
        return value.getNano() / 1000;
    }

    /** pendulum's {@code int_timestamp}: whole seconds since the epoch. */
    public long getIntTimestamp() {
        return value.toEpochSecond();
    }

    /**
     * Python's {@code timestamp()}: seconds since the epoch with the microseconds as a fraction, printed as Python
     * prints the float ({@code 1795132800.0}, {@code 1795132800.5}).
     */
    public BigDecimal timestamp() {
        BigDecimal seconds = BigDecimal.valueOf(value.toEpochSecond()).add(BigDecimal.valueOf(getMicrosecond(), 6))
                .stripTrailingZeros();
        return seconds.scale() < 1 ? seconds.setScale(1) : seconds;
    }

    public String isoformat() {
        return PyDates.isoformat(value, 'T');
    }

    public String isoformat(String sep) {
        if (sep == null || sep.length() != 1) {
            throw new IllegalArgumentException("isoformat() argument 1 must be a single character, not '" + sep + "'");
        }
        return PyDates.isoformat(value, sep.charAt(0));
    }

    public String strftime(String format) {
        return Strftime.format(value, format);
    }

    /** Python's {@code weekday()}: Monday is 0, Sunday is 6. */
    public int weekday() {
        return value.getDayOfWeek().getValue() - 1;
    }

    /** Python's {@code isoweekday()}: Monday is 1, Sunday is 7. */
    public int isoweekday() {
        return value.getDayOfWeek().getValue();
    }

    /** pendulum's {@code to_date_string()}: {@code 2026-11-20}. */
    public String to_date_string() {
        return Strftime.format(value, "%Y-%m-%d");
    }

    /** pendulum's {@code to_datetime_string()}: {@code 2026-11-20 00:00:00}. */
    public String to_datetime_string() {
        return Strftime.format(value, "%Y-%m-%d %H:%M:%S");
    }

    /** The same instant in another time zone, e.g. {@code in_timezone('Europe/Amsterdam')}. */
    public PyDateTime in_timezone(String zone) {
        try {
            ZoneId id = "UTC".equalsIgnoreCase(zone) ? ZoneOffset.UTC : ZoneId.of(zone);
            return new PyDateTime(value.withZoneSameInstant(id));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "'", e);
        }
    }

    /** Alias of {@link #in_timezone(String)}, as in pendulum. */
    public PyDateTime in_tz(String zone) {
        return in_timezone(zone);
    }

    /** pendulum's {@code add(years=, months=, weeks=, days=, hours=, minutes=, seconds=, microseconds=)}. */
    public PyDateTime add(NamedParameter... amounts) {
        return shift(amounts, 1, "add");
    }

    /** pendulum's {@code subtract(...)}, with the same keyword arguments as {@link #add}. */
    public PyDateTime subtract(NamedParameter... amounts) {
        return shift(amounts, -1, "subtract");
    }

    private PyDateTime shift(NamedParameter[] amounts, int sign, String method) {
        ZonedDateTime result = value;
        for (NamedParameter amount : amounts) {
            if (amount == null) {
                throw new IllegalArgumentException(method + "() takes keyword arguments only, e.g. " + method + "(days=1)");
            }
            long n = sign * integral(amount, method);
            result = switch (amount.getName()) {
                case "years" -> result.plusYears(n);
                case "months" -> result.plusMonths(n);
                case "weeks" -> result.plusWeeks(n);
                case "days" -> result.plusDays(n);
                case "hours" -> result.plusHours(n);
                case "minutes" -> result.plusMinutes(n);
                case "seconds" -> result.plusSeconds(n);
                case "microseconds" -> result.plus(n, ChronoUnit.MICROS);
                default -> throw new IllegalArgumentException(method + "() got an unexpected keyword argument '"
                        + amount.getName() + "'; use years, months, weeks, days, hours, minutes, seconds or microseconds");
            };
        }
        return new PyDateTime(result);
    }

    private static long integral(NamedParameter amount, String method) {
        Object v = amount.getValue();
        if (v instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        throw new IllegalArgumentException(method + "(" + amount.getName() + "=...) needs a whole number, got '" + v + "'");
    }

    @Override
    public int compareTo(PyDateTime other) {
        return value.toInstant().compareTo(other.value.toInstant());
    }

    /** Equal when they are the same instant, as aware Python datetimes are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PyDateTime other && value.toInstant().equals(other.value.toInstant());
    }

    @Override
    public int hashCode() {
        return value.toInstant().hashCode();
    }

    /** What {@code {{ logical_date }}} prints: {@link #isoformat()}. */
    @Override
    public String toString() {
        return isoformat();
    }
}
