package dev.weft.engine.params;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.weft.engine.json.Json;
import dev.weft.spi.InvalidParamsException;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a task's JSON-like params to its factory's params type: snake_case names to record components
 * ({@code poke_interval} → {@code pokeInterval}), durations from seconds or ISO-8601. Every failure is an
 * {@link InvalidParamsException} that names the field and, where known, the expected type.
 */
public final class ParamsBinder {
    private static final ObjectMapper MAPPER = Json.configure(new ObjectMapper())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ParamsBinder() {
    }

    public static <P> P bind(Map<String, Object> params, Class<P> type) {
        try {
            return MAPPER.convertValue(params == null ? Map.of() : params, type);
        } catch (IllegalArgumentException e) {
            throw translate(e, type);
        }
    }

    private static InvalidParamsException translate(IllegalArgumentException e, Class<?> type) {
        Throwable cause = e.getCause();
        if (cause instanceof ValueInstantiationException vie && vie.getCause() instanceof InvalidParamsException ipe) {
            return ipe;
        }
        if (cause instanceof ValueInstantiationException vie && vie.getCause() != null) {
            return new InvalidParamsException(path(vie, "params"), vie.getCause().getMessage());
        }
        if (cause instanceof UnrecognizedPropertyException upe) {
            String known = upe.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return new InvalidParamsException(path(upe, String.valueOf(upe.getPropertyName())),
                    "unknown param for " + type.getSimpleName() + "; known: " + known);
        }
        if (cause instanceof InvalidFormatException ife) {
            return new InvalidParamsException(path(ife, "params"), "expected " + typeName(ife.getTargetType())
                    + ", got '" + ife.getValue() + "'");
        }
        if (cause instanceof MismatchedInputException mie) {
            return new InvalidParamsException(path(mie, "params"), "expected " + typeName(mie.getTargetType()));
        }
        if (cause instanceof JsonMappingException jme) {
            return new InvalidParamsException(path(jme, "params"), jme.getOriginalMessage());
        }
        return new InvalidParamsException("params", String.valueOf(e.getMessage()));
    }

    private static String path(JsonMappingException e, String fallback) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? fallback : sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.time.Duration.class) {
            return "a duration (seconds, or ISO-8601 such as PT5M)";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return type.getSimpleName();
    }
}
