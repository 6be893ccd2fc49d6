package dev.weft.engine.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short English descriptions of schedules ("At 16:00", "Every 5 hours"). Covers the common shapes of cron
 * expressions; anything else is described as "Cron: &lt;expression&gt;" rather than guessed at.
 */
final class Descriptions {
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern STEP = Pattern.compile("\\*/(\\d+)");
    private static final Pattern RANGE = Pattern.compile("(\\w+)-(\\w+)");
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday"};

    private Descriptions() {
    }

    static String ofInterval(Duration d) {
        if (d.getNano() != 0) {
            return "Every " + d;
        }
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return every(s / 86_400, "day");
        }
        if (s % 3_600 == 0) {
            return every(s / 3_600, "hour");
        }
        if (s % 60 == 0) {
            return every(s / 60, "minute");
        }
        return every(s, "second");
    }

    private static String every(long n, String unit) {
        return n == 1 ? "Every " + unit : "Every " + n + " " + unit + "s";
    }

    static String ofCron(String expression, ZoneId zone) {
        String text = describe(expression.trim().split("\\s+"));
        if (text == null) {
            text = "Cron: " + expression;
        }
        return zone.normalized().equals(ZoneOffset.UTC) ? text : text + " (" + zone.getId() + ")";
    }

    private static String describe(String[] f) {
        if (f.length != 5) {
            return null;
        }
        String time = time(f[0], f[1]);
        if (time == null) {
            return null;
        }
        if (!f[2].equals("*") && !f[4].equals("*")) {
            return null; // day of month OR day of week: say it as the expression rather than mislead
        }
        List<String> parts = new ArrayList<>(List.of(time));
        String dom = days(f[2]);
        String month = calendar(f[3], true);
        String dow = calendar(f[4], false);
        for (String[] part : new String[][]{{f[2], dom}, {f[3], month}, {f[4], dow}}) {
            if (part[0].equals("*")) {
                continue;
            }
            if (part[1] == null) {
                return null;
            }
            parts.add(part[1]);
        }
        return String.join(", ", parts);
    }

    private static String time(String minute, String hour) {
        Matcher minuteStep = STEP.matcher(minute);
        Matcher hourStep = STEP.matcher(hour);
        boolean everyHour = hour.equals("*");
        if (minute.equals("*") && everyHour) {
            return "Every minute";
        }
        if (minuteStep.matches() && everyHour) {
            return every(Long.parseLong(minuteStep.group(1)), "minute");
        }
        if (!NUMBER.matcher(minute).matches()) {
            return null;
        }
        int m = Integer.parseInt(minute);
        String pastTheHour = "At " + m + " minutes past the hour";
        if (everyHour) {
            return pastTheHour;
        }
        if (hourStep.matches()) {
            return pastTheHour + ", " + every(Long.parseLong(hourStep.group(1)), "hour").toLowerCase(Locale.ROOT);
        }
        Matcher range = RANGE.matcher(hour);
        if (range.matches() && NUMBER.matcher(range.group(1)).matches() && NUMBER.matcher(range.group(2)).matches()) {
            return pastTheHour + ", between " + hhmm(Integer.parseInt(range.group(1)), 0) + " and "
                    + hhmm(Integer.parseInt(range.group(2)), 59);
        }
        List<String> times = new ArrayList<>();
        for (String h : hour.split(",")) {
            if (!NUMBER.matcher(h).matches()) {
                return null;
            }
            times.add(hhmm(Integer.parseInt(h), m));
        }
        return "At " + joinAnd(times);
    }

    private static String days(String dom) {
        Matcher step = STEP.matcher(dom);
        if (step.matches()) {
            return every(Long.parseLong(step.group(1)), "day").toLowerCase(Locale.ROOT);
        }
        Matcher range = RANGE.matcher(dom);
        if (range.matches() && NUMBER.matcher(range.group(1)).matches() && NUMBER.matcher(range.group(2)).matches()) {
            return "between day " + range.group(1) + " and " + range.group(2) + " of the month";
        }
        List<String> days = new ArrayList<>();
        for (String d : dom.split(",")) {
            if (!NUMBER.matcher(d).matches()) {
                return null;
            }
            days.add(String.valueOf(Integer.parseInt(d)));
        }
        return "on day " + joinAnd(days) + " of the month";
    }

    /** A month or day-of-week field: a step (months only), a range, or a list of numbers or names. */
    private static String calendar(String field, boolean month) {
        Matcher step = STEP.matcher(field);
        if (step.matches()) {
            return month ? every(Long.parseLong(step.group(1)), "month").toLowerCase(Locale.ROOT) : null;
        }
        Matcher range = RANGE.matcher(field);
        if (range.matches()) {
            String from = name(range.group(1), month);
            String to = name(range.group(2), month);
            return from == null || to == null ? null : from + " through " + to;
        }
        List<String> names = new ArrayList<>();
        for (String v : field.split(",")) {
            String n = name(v, month);
            if (n == null) {
                return null;
            }
            names.add(n);
        }
        return "only " + (month ? "in " : "on ") + joinAnd(names);
    }

    /** The English name of a month (1–12, JAN…) or day of week (0–7 with 0 and 7 Sunday, SUN…). */
    private static String name(String value, boolean month) {
        if (NUMBER.matcher(value).matches()) {
            int i = Integer.parseInt(value);
            if (month) {
                return i >= 1 && i <= 12 ? MONTHS[i - 1] : null;
            }
            return i >= 0 && i <= 7 ? DAYS[i] : null;
        }
        String[] names = month ? MONTHS : DAYS;
        for (String n : names) {
            if (n.substring(0, 3).equalsIgnoreCase(value)) {
                return n;
            }
        }
        return null;
    }

    private static String hhmm(int h, int m) {
        return String.format(Locale.ROOT, "%02d:%02d", h, m);
    }

    private static String joinAnd(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
