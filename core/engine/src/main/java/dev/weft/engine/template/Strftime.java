package dev.weft.engine.template;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code strftime} and {@code strptime} (C locale, as on Linux) on {@code java.time} values.
 *
 * <p>Formatting supports {@code %a %A %w %u %d %e %b %h %B %m %y %Y %C %G %V %H %I %k %l %p %P %M %S %f %z %Z
 * %j %U %W %c %x %X %D %F %T %R %r %n %t %%}, and the glibc flag {@code -} on numeric directives
 * ({@code %-d} → {@code 5}). Parsing supports {@code %Y %y %m %d %H %I %p %M %S %f %j %b %h %B %a %A %w %u %z %Z
 * %c %x %X %%}, with Python's rules: one-digit months/days/hours are accepted, any run of whitespace in the
 * format matches any run of whitespace, matching ignores case, the whole text must be consumed, and missing
 * fields default to 1900-01-01 00:00:00. Any other directive is rejected with an {@link IllegalArgumentException}
 * that names it, rather than being copied through as glibc would.
 */
public final class Strftime {
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String FORMAT_DIRECTIVES = "aAwudebhBmyYCGVHIklpPMSfzZjUWcxXDFTRrnt%";
    private static final String PARSE_DIRECTIVES = "YymdHIpMSfjbhBaAwuzZcxX%";
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

    private Strftime() {
    }

    /**
     * Python's {@code value.strftime(format)}. {@code value} is a date, a naive date-time ({@link LocalDateTime}:
     * {@code %z} and {@code %Z} give empty strings) or an aware one ({@code OffsetDateTime}, {@code ZonedDateTime}).
     */
    public static String format(TemporalAccessor value, String format) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(format, "format");
        StringBuilder out = new StringBuilder(format.length() + 16);
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("strftime format ends with a lone '%': '" + format + "'");
            }
            char d = format.charAt(i + 1);
            boolean noPad = false;
            int length = 2;
            if (d == '-' && i + 2 < n) {
                noPad = true;
                d = format.charAt(i + 2);
                length = 3;
            }
            appendDirective(out, value, d, noPad, format);
            i += length;
        }
        return out.toString();
    }

    private static void appendDirective(StringBuilder out, TemporalAccessor t, char d, boolean noPad, String format) {
        if (FORMAT_DIRECTIVES.indexOf(d) < 0) {
            throw new IllegalArgumentException("unsupported strftime directive '%" + (noPad ? "-" : "") + d
                    + "' in format '" + format + "'; supported: " + listed(FORMAT_DIRECTIVES));
        }
        if (noPad && "dejmyHIklMSUWCGVuw".indexOf(d) < 0) {
            throw new IllegalArgumentException("the '-' flag applies only to numeric directives, not '%" + d
                    + "', in format '" + format + "'");
        }
        switch (d) {
            case 'a' -> out.append(DAYS[dayOfWeek(t) - 1], 0, 3);
            case 'A' -> out.append(DAYS[dayOfWeek(t) - 1]);
            case 'w' -> out.append(dayOfWeek(t) % 7);
            case 'u' -> out.append(dayOfWeek(t));
            case 'd' -> number(out, t.get(ChronoField.DAY_OF_MONTH), 2, '0', noPad);
            case 'e' -> number(out, t.get(ChronoField.DAY_OF_MONTH), 2, ' ', noPad);
            case 'b', 'h' -> out.append(MONTHS[t.get(ChronoField.MONTH_OF_YEAR) - 1], 0, 3);
            case 'B' -> out.append(MONTHS[t.get(ChronoField.MONTH_OF_YEAR) - 1]);
            case 'm' -> number(out, t.get(ChronoField.MONTH_OF_YEAR), 2, '0', noPad);
            case 'y' -> number(out, Math.floorMod(t.get(ChronoField.YEAR), 100), 2, '0', noPad);
            case 'Y' -> number(out, t.get(ChronoField.YEAR), 4, '0', noPad);
            case 'C' -> number(out, Math.floorDiv(t.get(ChronoField.YEAR), 100), 2, '0', noPad);
            case 'G' -> number(out, t.get(IsoFields.WEEK_BASED_YEAR), 4, '0', noPad);
            case 'V' -> number(out, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', noPad);
            case 'H' -> number(out, time(t, ChronoField.HOUR_OF_DAY), 2, '0', noPad);
            case 'k' -> number(out, time(t, ChronoField.HOUR_OF_DAY), 2, ' ', noPad);
            case 'I' -> number(out, hour12(t), 2, '0', noPad);
            case 'l' -> number(out, hour12(t), 2, ' ', noPad);
            case 'p' -> out.append(time(t, ChronoField.HOUR_OF_DAY) < 12 ? "AM" : "PM");
            case 'P' -> out.append(time(t, ChronoField.HOUR_OF_DAY) < 12 ? "am" : "pm");
            case 'M' -> number(out, time(t, ChronoField.MINUTE_OF_HOUR), 2, '0', noPad);
            case 'S' -> number(out, time(t, ChronoField.SECOND_OF_MINUTE), 2, '0', noPad);
            case 'f' -> number(out, time(t, ChronoField.MICRO_OF_SECOND), 6, '0', false);
            case 'z' -> {
                if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                    PyDates.appendOffset(out, ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)), false);
                }
            }
            case 'Z' -> out.append(zoneName(t));
            case 'j' -> number(out, t.get(ChronoField.DAY_OF_YEAR), 3, '0', noPad);
            case 'U' -> number(out, (t.get(ChronoField.DAY_OF_YEAR) - 1 + 7 - dayOfWeek(t) % 7) / 7, 2, '0', noPad);
            case 'W' -> number(out, (t.get(ChronoField.DAY_OF_YEAR) - 1 + 7 - (dayOfWeek(t) - 1)) / 7, 2, '0', noPad);
            case 'c' -> out.append(format(t, "%a %b %e %H:%M:%S %Y"));
            case 'x', 'D' -> out.append(format(t, "%m/%d/%y"));
            case 'X', 'T' -> out.append(format(t, "%H:%M:%S"));
            case 'F' -> out.append(format(t, "%Y-%m-%d"));
            case 'R' -> out.append(format(t, "%H:%M"));
            case 'r' -> out.append(format(t, "%I:%M:%S %p"));
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case '%' -> out.append('%');
            default -> throw new IllegalStateException("directive " + d);
        }
    }

    private static int dayOfWeek(TemporalAccessor t) {
        return t.get(ChronoField.DAY_OF_WEEK);
    }

    private static int time(TemporalAccessor t, ChronoField field) {
        return t.isSupported(field) ? t.get(field) : 0;
    }

    private static int hour12(TemporalAccessor t) {
        int h = time(t, ChronoField.HOUR_OF_DAY) % 12;
        return h == 0 ? 12 : h;
    }

    private static String zoneName(TemporalAccessor t) {
        ZoneId zone = t.query(TemporalQueries.zone());
        if (zone == null) {
            return "";
        }
        if (zone instanceof ZoneOffset offset) {
            if (offset.getTotalSeconds() == 0) {
                return "UTC";
            }
            StringBuilder out = new StringBuilder("UTC");
            PyDates.appendOffset(out, offset, true);
            return out.toString();
        }
        return ZONE_NAME.format(t);
    }

    private static void number(StringBuilder out, int value, int width, char pad, boolean noPad) {
        String digits = Integer.toString(Math.abs(value));
        if (value < 0) {
            out.append('-');
        }
        if (!noPad) {
            for (int i = digits.length(); i < width; i++) {
                out.append(pad);
            }
        }
        out.append(digits);
    }

    /**
     * Python's {@code datetime.strptime(text, format)}: a {@link LocalDateTime}, or an {@code OffsetDateTime}
     * when the format has {@code %z}.
     *
     * @throws IllegalArgumentException when the text does not match, has text left over, names an impossible
     *                                  date, or the format has an unsupported directive
     */
    public static Temporal parse(String text, String format) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
        List<Character> groups = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        compile(format, format, regex, groups);
        Matcher m = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("time data '" + text + "' does not match format '" + format + "'");
        }
        if (m.end() != text.length()) {
            throw new IllegalArgumentException("unconverted data remains: " + text.substring(m.end()));
        }
        Integer year = null;
        int month = 1;
        int day = 1;
        int hour = 0;
        Integer hour12 = null;
        Boolean pm = null;
        int minute = 0;
        int second = 0;
        int micros = 0;
        Integer julian = null;
        ZoneOffset offset = null;
        for (int g = 0; g < groups.size(); g++) {
            String value = m.group(g + 1);
            switch (groups.get(g)) {
                case 'Y' -> year = Integer.parseInt(value);
                case 'y' -> {
                    int yy = Integer.parseInt(value);
                    year = yy <= 68 ? 2000 + yy : 1900 + yy;
                }
                case 'm' -> month = Integer.parseInt(value);
                case 'b', 'h', 'B' -> month = monthIndex(value) + 1;
                case 'd' -> day = Integer.parseInt(value.trim());
                case 'H' -> hour = Integer.parseInt(value);
                case 'I' -> hour12 = Integer.parseInt(value);
                case 'p' -> pm = value.equalsIgnoreCase("pm");
                case 'M' -> minute = Integer.parseInt(value);
                case 'S' -> second = Integer.parseInt(value);
                case 'f' -> micros = Integer.parseInt((value + "00000").substring(0, 6));
                case 'j' -> julian = Integer.parseInt(value);
                case 'z' -> offset = parseOffset(value);
                default -> {
                    // %a %A %w %u %Z and %% are matched but, as in Python, do not change the result.
                }
            }
        }
        if (hour12 != null) {
            hour = hour12 % 12 + (Boolean.TRUE.equals(pm) ? 12 : 0);
        }
        if (year == null && month == 2 && day == 29) {
            year = 1904; // Python's default year is 1900, which has no 29 February
        }
        int y = year == null ? 1900 : year;
        try {
            LocalDate date = julian == null ? LocalDate.of(y, month, day) : LocalDate.ofYearDay(y, julian);
            LocalDateTime result = date.atTime(hour, minute, second, micros * 1000);
            return offset == null ? result : result.atOffset(offset);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time data '" + text + "' with format '" + format
                    + "' is not a valid date: " + e.getMessage(), e);
        }
    }

    private static void compile(String format, String original, StringBuilder regex, List<Character> groups) {
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(format.charAt(i))) {
                    i++;
                }
                regex.append("\\s+");
                continue;
            }
            if (c != '%') {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("strptime format ends with a lone '%': '" + original + "'");
            }
            char d = format.charAt(i + 1);
            if (PARSE_DIRECTIVES.indexOf(d) < 0) {
                throw new IllegalArgumentException("unsupported strptime directive '%" + d + "' in format '"
                        + original + "'; supported: " + listed(PARSE_DIRECTIVES));
            }
            switch (d) {
                case 'c' -> compile("%a %b %d %H:%M:%S %Y", original, regex, groups);
                case 'x' -> compile("%m/%d/%y", original, regex, groups);
                case 'X' -> compile("%H:%M:%S", original, regex, groups);
                case '%' -> regex.append('%');
                default -> {
                    regex.append('(').append(parseRegex(d)).append(')');
                    groups.add(d);
                }
            }
            i += 2;
        }
    }

    private static String parseRegex(char d) {
        return switch (d) {
            case 'd' -> "3[01]|[12]\\d|0[1-9]|[1-9]| [1-9]";
            case 'f' -> "[0-9]{1,6}";
            case 'H' -> "2[0-3]|[0-1]\\d|\\d";
            case 'I' -> "1[0-2]|0[1-9]|[1-9]";
            case 'j' -> "36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]";
            case 'm' -> "1[0-2]|0[1-9]|[1-9]";
            case 'M' -> "[0-5]\\d|\\d";
            case 'S' -> "6[0-1]|[0-5]\\d|\\d";
            case 'w' -> "[0-6]";
            case 'u' -> "[1-7]";
            case 'y' -> "\\d\\d";
            case 'Y' -> "\\d\\d\\d\\d";
            case 'z' -> "[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z";
            case 'Z' -> "UTC|GMT";
            case 'p' -> "AM|PM";
            case 'a' -> names(DAYS, 3);
            case 'A' -> names(DAYS, 0);
            case 'b', 'h' -> names(MONTHS, 3);
            case 'B' -> names(MONTHS, 0);
            default -> throw new IllegalStateException("directive " + d);
        };
    }

    private static String names(String[] names, int abbreviate) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            if (!out.isEmpty()) {
                out.append('|');
            }
            out.append(abbreviate > 0 ? name.substring(0, abbreviate) : name);
        }
        return out.toString();
    }

    private static int monthIndex(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].regionMatches(true, 0, name, 0, name.length())) {
                return i;
            }
        }
        throw new IllegalStateException("month " + name);
    }

    private static ZoneOffset parseOffset(String value) {
        if (value.equalsIgnoreCase("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = value.substring(1).replace(":", "");
        int seconds = Integer.parseInt(digits.substring(0, 2)) * 3600 + Integer.parseInt(digits.substring(2, 4)) * 60;
        if (digits.length() >= 6) {
            seconds += Integer.parseInt(digits.substring(4, 6));
        }
        return ZoneOffset.ofTotalSeconds(value.charAt(0) == '-' ? -seconds : seconds);
    }

    private static String listed(String directives) {
        StringBuilder out = new StringBuilder();
        for (char d : directives.toCharArray()) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append('%').append(d);
        }
        return out.toString();
    }
}
