package dev.weft.plugins.http;

import dev.weft.spi.InvalidParamsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of HTTP status codes as a param gives it: a code ({@code 200}), a class ({@code "2xx"}), a range
 * ({@code "200-299"}), or a list of those ({@code [200, 204]}). Rendered templates are strings: {@code "200"} works.
 */
final class StatusCodes {
    static final StatusCodes SUCCESS = new StatusCodes(List.of(new Range(200, 299)), "2xx");
    static final StatusCodes NONE = new StatusCodes(List.of(), "none");

    private static final Pattern CLASS = Pattern.compile("([1-5])xx");
    private static final Pattern RANGE = Pattern.compile("(\\d{3})\\s*-\\s*(\\d{3})");
    private static final Pattern CODE = Pattern.compile("\\d{3}");

    private record Range(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    private final List<Range> ranges;
    private final String text;

    private StatusCodes(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /** Parses {@code value} (null gives {@code otherwise}), naming {@code field} when it is not a status set. */
    static StatusCodes parse(Object value, String field, StatusCodes otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value instanceof StatusCodes codes) {
            return codes;
        }
        List<Range> ranges = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                ranges.add(one(item, field + "[" + i + "]"));
                texts.add(String.valueOf(item).strip().toLowerCase(Locale.ROOT));
            }
        } else {
            ranges.add(one(value, field));
            texts.add(String.valueOf(value).strip().toLowerCase(Locale.ROOT));
        }
        return new StatusCodes(List.copyOf(ranges), String.join(", ", texts));
    }

    private static Range one(Object value, String field) {
        if (value instanceof Number n) {
            if (n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 100 && n.intValue() <= 599) {
                return new Range(n.intValue(), n.intValue());
            }
        } else if (value instanceof String s) {
            String text = s.strip().toLowerCase(Locale.ROOT);
            Matcher m;
            if ((m = CLASS.matcher(text)).matches()) {
                int from = Integer.parseInt(m.group(1)) * 100;
                return new Range(from, from + 99);
            }
            if ((m = RANGE.matcher(text)).matches()) {
                int from = Integer.parseInt(m.group(1));
                int to = Integer.parseInt(m.group(2));
                if (from >= 100 && to <= 599 && from <= to) {
                    return new Range(from, to);
                }
            }
            if (CODE.matcher(text).matches() && Integer.parseInt(text) >= 100 && Integer.parseInt(text) <= 599) {
                return new Range(Integer.parseInt(text), Integer.parseInt(text));
            }
        }
        throw new InvalidParamsException(field, "expected an HTTP status (200), a class (\"2xx\"), a range "
                + "(\"200-299\") or a list of those, got '" + value + "'");
    }

    boolean contains(int status) {
        return ranges.stream().anyMatch(r -> r.contains(status));
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
