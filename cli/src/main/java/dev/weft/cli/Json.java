package dev.weft.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON through Jackson's streaming parser and generator (cheap to start, which a command-line client needs): values
 * read as {@link Map} (insertion ordered), lists, strings, {@code Long} (or {@code BigInteger}) and
 * {@code BigDecimal}, booleans and null. Records of the API model are written and read by their
 * {@code @JsonProperty} names through reflection ({@link #toMap}, {@link #as}), not Jackson's data binding, whose
 * start-up would cost every command.
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
            try {
                m.put(jsonName(c), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
        }
        return m;
    }

    /** A request body of a record of the API model: its properties but the null ones (the server's defaults). */
    static Map<String, Object> body(Record r) {
        Map<String, Object> m = toMap(r);
        m.values().removeIf(v -> v == null);
        return m;
    }

    /**
     * A parsed JSON object read as the API-model record it is: each component from the property its
     * {@code @JsonProperty} names (absent: null, or 0 and false for a primitive), properties the record does not
     * have ignored. A value of the wrong type is a server error, as the response breaks its contract.
     */
    static <R extends Record> R as(Class<R> type, Object json) {
        return type.cast(convert(type, json, type.getSimpleName()));
    }

    private static Object convert(Type type, Object v, String where) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> l)) {
                throw unexpected(where, "a list", v);
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                items.add(convert(p.getActualTypeArguments()[0], l.get(i), where + "[" + i + "]"));
            }
            return items;
        }
        Class<?> c = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (v == null) {
            return c == boolean.class ? Boolean.FALSE : c == int.class ? (Object) 0 : c == long.class ? (Object) 0L
                    : c == double.class ? (Object) 0.0 : null;
        }
        if (c == Object.class || c.isInstance(v) && !c.isRecord() && !c.isInterface()) {
            return v;
        }
        if ((c == int.class || c == Integer.class) && v instanceof Number n) {
            return n.intValue();
        }
        if ((c == long.class || c == Long.class) && v instanceof Number n) {
            return n.longValue();
        }
        if ((c == double.class || c == Double.class) && v instanceof Number n) {
            return n.doubleValue();
        }
        if (c == boolean.class && v instanceof Boolean b) {
            return b;
        }
        if (c == Map.class && v instanceof Map<?, ?>) {
            return v;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw unexpected(where, c.getSimpleName(), v);
        }
        if (c.isInterface()) {
            return convert(subtype(c, m, where), m, where);
        }
        if (!c.isRecord()) {
            throw unexpected(where, c.getSimpleName(), v);
        }
        RecordComponent[] components = c.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = jsonName(components[i]);
            args[i] = convert(components[i].getGenericType(), m.get(name), where + "." + name);
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = c.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw unexpected(where, c.getSimpleName() + " (" + e.getCause().getMessage() + ")", v);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + c, e);
        }
    }

    /** The record of a polymorphic model type that the object's type property names. */
    private static Class<?> subtype(Class<?> base, Map<?, ?> m, String where) {
        JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
        JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
        if (info == null || subtypes == null) {
            throw new IllegalStateException(base + " names no subtypes");
        }
        Object name = m.get(info.property());
        for (JsonSubTypes.Type t : subtypes.value()) {
            if (t.name().equals(name)) {
                return t.value();
            }
        }
        throw unexpected(where + "." + info.property(), "one of the names of " + base.getSimpleName(), name);
    }

    private static CliException unexpected(String where, String expected, Object v) {
        return new CliException(CliException.SERVER, "the server sent an unexpected response: " + where + " is not "
                + expected + " but " + (v instanceof Map<?, ?> ? "an object" : v instanceof List<?> ? "a list"
                : "'" + v + "'"));
    }

    /** The name of a record component in JSON: its {@code @JsonProperty}, else its own. */
    static String jsonName(RecordComponent c) {
        JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
        return property != null ? property.value() : c.getName();
    }
}
