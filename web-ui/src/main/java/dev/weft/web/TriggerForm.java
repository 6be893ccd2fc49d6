package dev.weft.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trigger form as submitted: the conf (a JSON object), fields built from the DAG's params, an optional run id and
 * logical date. Checked here before anything is created; the page's script makes the same conf check as you type.
 */
final class TriggerForm {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The checked request, or the first problem (and where) to show beside the form. */
    record Parsed(Map<String, Object> conf, String runId, Instant logicalDate, String field, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private TriggerForm() {
    }

    /**
     * @param conf        the JSON text ({@code {}} when blank)
     * @param paramFields values of the DAG params' fields by param name; a value changed from the param's default
     *                    goes into the conf, typed like the default, unless the conf's text changed that key too
     *                    (the conf editor starts with the defaults; the page's script keeps both in step)
     * @param defaults    the DAG's params with their defaults
     */
    static Parsed parse(String conf, Map<String, String> paramFields, Map<String, Object> defaults, String runId,
                        String logicalDate) {
        Map<String, Object> parsed;
        try {
            parsed = conf(conf);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, null, null, "conf", e.getMessage());
        }
        for (Map.Entry<String, String> field : paramFields.entrySet()) {
            String key = field.getKey();
            Object fallback = defaults.get(key);
            boolean confChanged = parsed.containsKey(key) && !text(parsed.get(key)).equals(text(fallback));
            if (confChanged || field.getValue() == null || field.getValue().equals(text(fallback))) {
                continue;
            }
            try {
                parsed.put(key, typed(field.getValue(), fallback));
            } catch (IllegalArgumentException e) {
                return new Parsed(null, null, null, "param." + key, "Param '" + key + "': " + e.getMessage());
            }
        }
        String id = runId == null || runId.isBlank() ? null : runId.strip();
        Instant when;
        try {
            when = date(logicalDate);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, null, null, "logical_date", e.getMessage());
        }
        return new Parsed(parsed, id, when, null, null);
    }

    /** A conf must be a JSON object: {@code {}} for a blank text; otherwise the parser's complaint and position. */
    static Map<String, Object> conf(String text) {
        return jsonObject(text, "conf", "{\"supermarket_id\": 3}");
    }

    /**
     * A JSON object typed into a form ({@code {}} for a blank text), or an error naming {@code what} it is, the
     * parser's complaint and position, and an {@code example} of a good one.
     */
    static Map<String, Object> jsonObject(String text, String what, String example) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // The parser's own message, without its pointer into the source (which the line and column give).
            String why = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source.*", "");
            throw new IllegalArgumentException("The " + what + " is not valid JSON" + (at == null ? "" : " (line "
                    + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": " + why);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("The " + what + " must be a JSON object, such as " + example);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(node, LinkedHashMap.class);
        return map;
    }

    /** A param's value as its field shows it: text as is, anything else as JSON. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** JSON text of a value, indented, for the conf editor and the pages. */
    static String json(Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** A field's text typed like the param's default: strings stay text; numbers, booleans, lists and maps are JSON. */
    private static Object typed(String text, Object fallback) {
        if (fallback instanceof String || fallback == null) {
            return text;
        }
        try {
            Object value = JSON.readValue(text, Object.class);
            boolean sameKind = fallback instanceof Number ? value instanceof Number
                    : fallback instanceof Boolean ? value instanceof Boolean
                    : fallback instanceof Map ? value instanceof Map
                    : !(fallback instanceof java.util.List) || value instanceof java.util.List;
            if (!sameKind) {
                throw new IllegalArgumentException("expected a value like " + text(fallback) + ", got " + text);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a value like " + text(fallback) + ", got " + text);
        }
    }

    /**
     * A logical date in UTC: ISO-8601 with an offset, or without one (the browser's date-time field, taken as UTC);
     * null when blank.
     */
    static Instant date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("The logical date '" + text.strip()
                        + "' is not a date and time such as 2026-12-06T16:00:00Z");
            }
        }
    }
}
