package dev.weft.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON through Jackson's streaming parser and generator (cheap to start, which a command-line client needs): values
 * read as {@link Map} (insertion ordered), lists, strings, {@code Long} (or {@code BigInteger}) and
 * {@code BigDecimal}, booleans and null. Records of the API model are written by their {@code @JsonProperty} names
 * through Jackson's data binding, which is only loaded when a record is written.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    // "key": value, as people and jq write it (Jackson's default puts a space before the colon too).
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter().withSeparators(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private Json() {
    }

    /** A JSON text could not be parsed; the message names the line and column of the error. */
    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    static Object parse(String text) throws ParseException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ParseException(where(p.currentLocation()) + "no JSON value (the text is empty)");
            }
            Object value = read(p, first);
            if (p.nextToken() != null) {
                throw new ParseException(where(p.currentTokenLocation()) + "Trailing token (of type "
                        + p.currentToken() + ") found after value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ParseException(where(e.getLocation()) + START_MARKER.matcher(e.getOriginalMessage())
                    .replaceAll("(opened at line $1, column $2)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Jackson names where an unclosed object or array began with its internal source description; keep the position.
    private static final Pattern START_MARKER =
            Pattern.compile("\\(start marker at \\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]\\)");

    private static String where(JsonLocation at) {
        return at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    l.add(read(p, v));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /** A JSON object as parsed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    /** A list of JSON objects as parsed. */
    static List<Map<String, Object>> objects(List<?> list) {
        List<Map<String, Object>> result = new ArrayList<>();
        list.forEach(o -> result.add(object(o)));
        return result;
    }

    /** A JSON value as text (null stays null). */
    static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /** A response body as JSON; an empty body is null. */
    static Object parseResponse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return parse(body);
        } catch (ParseException e) {
            throw new CliException(CliException.SERVER, "the server sent invalid JSON: " + e.getMessage());
        }
    }

    static String write(Object value) {
        return write(value, false);
    }

    static String pretty(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(PRETTY);
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Record r) {
            write(g, toMap(r));
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /**
     * A record of the API model as a map of its JSON properties (null values kept), named by its components'
     * {@code @JsonProperty}: read directly, because Jackson's data binding would cost every such command's start-up.
     */
    static Map<String, Object> toMap(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
            try {
                m.put(property != null ? property.value() : c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
        }
        return m;
    }
}
