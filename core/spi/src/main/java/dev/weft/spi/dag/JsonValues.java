package dev.weft.spi.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks and copies the JSON-like values that DAG params and task params are made of. */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * A deep, unmodifiable copy of {@code map} whose values are {@code null}, strings, numbers, booleans,
     * lists or maps of those. Anything else is rejected with the key path that holds it.
     */
    public static Map<String, Object> immutableCopy(Map<String, ?> map) {
        return copyMap(map, "");
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("param keys must be strings, got " + e.getKey() + " at '" + path + "'");
            }
            copy.put(key, copyValue(e.getValue(), path.isEmpty() ? key : path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            return normalizeNumber(n, path);
        }
        if (value instanceof Map<?, ?> m) {
            return copyMap(m, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        throw new IllegalArgumentException("param '" + path + "' has a value of type " + value.getClass().getName()
                + "; params hold JSON values only (string, number, boolean, list, map, null)");
    }

    /** Integers become {@code Long}, others {@code Double}, so a value reads back equal after a JSON round trip. */
    private static Object normalizeNumber(Number n, String path) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof java.math.BigInteger b) {
            return b.longValueExact();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("param '" + path + "' is " + d + ", which JSON cannot hold");
        }
        return d;
    }
}
