package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.store.QueryStore;
import dev.weft.server.errors.ApiException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Query parameters and body values read the way Airflow's API reads them, with 400 for anything malformed. */
public final class Params {
    /** Airflow's [api] maximum_page_limit and fallback_page_limit. */
    public static final int MAX_LIMIT = 100;
    // "+00:00" in an unencoded query string arrives as " 00:00".
    private static final Pattern SPACE_OFFSET = Pattern.compile("(.*T\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?) (\\d\\d:?\\d\\d)$");

    private Params() {
    }

    /** Airflow's page limit: absent or 0 → 100, above 100 → 100, negative → 400. */
    public static int limit(String value) {
        if (value == null || value.isBlank()) {
            return MAX_LIMIT;
        }
        int limit = integer("limit", value);
        if (limit < 0) {
            throw ApiException.badRequest("Page limit must be a positive integer");
        }
        return limit == 0 ? MAX_LIMIT : Math.min(limit, MAX_LIMIT);
    }

    public static int offset(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int offset = integer("offset", value);
        if (offset < 0) {
            throw ApiException.badRequest(offset + " is less than the minimum of 0 - 'offset'");
        }
        return offset;
    }

    public static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + value + "' is not of type 'integer' - '" + name + "'");
        }
    }

    public static Double number(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + value + "' is not of type 'number' - '" + name + "'");
        }
    }

    /** {@code true}/{@code false} (any case); null when absent. */
    public static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("'" + value + "' is not of type 'boolean' - '" + name + "'");
        };
    }

    /** A date-time with a time zone offset; naive values are refused as in Airflow. Null when absent. */
    public static Instant date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        var spaced = SPACE_OFFSET.matcher(text);
        if (spaced.matches()) {
            text = spaced.group(1) + "+" + spaced.group(4);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(text);
                throw ApiException.badRequest("Naive datetime is disallowed - '" + name + "'");
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("'" + value + "' is not a 'date-time' - '" + name + "'");
            }
        }
    }

    public static QueryStore.Range range(String name, String gte, String lte) {
        Instant from = date(name + "_gte", gte);
        Instant to = date(name + "_lte", lte);
        return from == null && to == null ? QueryStore.Range.ANY : new QueryStore.Range(from, to);
    }

    /** An {@code order_by} value ({@code field} or {@code -field}) checked against the allowed fields. */
    public static QueryStore.Paging paging(int limit, int offset, String orderBy, Collection<String> allowed,
                                           String defaultSort) {
        String sort = orderBy == null || orderBy.isBlank() ? defaultSort : orderBy.trim();
        boolean descending = sort.startsWith("-");
        String field = descending ? sort.substring(1) : sort;
        if (!allowed.contains(field)) {
            throw ApiException.badRequest("Ordering with '" + field
                    + "' is disallowed or the attribute does not exist on the model");
        }
        return new QueryStore.Paging(limit, offset, field, descending);
    }

    /** Repeated query values, also split on commas; null when absent. */
    public static List<String> list(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Keeps only the requested fields of a JSON object ({@code fields=a,b}); unknown names are a 400. */
    public static JsonNode fields(ObjectMapper mapper, Object value, List<String> fields) {
        JsonNode node = mapper.valueToTree(value);
        List<String> wanted = list(fields);
        if (wanted == null || !(node instanceof ObjectNode object)) {
            return node;
        }
        for (String f : wanted) {
            if (!object.has(f)) {
                throw ApiException.badRequest("Field '" + f + "' does not exist");
            }
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            if (!wanted.contains(it.next())) {
                it.remove();
            }
        }
        return object;
    }

    /** Requires a request body. */
    public static <T> T body(T body) {
        if (body == null) {
            throw ApiException.badRequest("A request body is required: send a JSON object (for example {})");
        }
        return body;
    }
}
