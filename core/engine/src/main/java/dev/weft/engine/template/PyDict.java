package dev.weft.engine.template;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, deep copy of a JSON-like map (nested maps become {@code PyDict}s, nested lists {@link PyList}s)
 * that prints like a Python dict: {@code {'supermarket_id': 17, 'dry_run': True}}. Used for {@code dag_run.conf}
 * and {@code params}, so {@code {{ dag_run.conf }}} shows what Airflow shows. Keys keep their order.
 */
public final class PyDict extends AbstractMap<String, Object> {
    private static final PyDict EMPTY = new PyDict(Map.of());

    private final Map<String, Object> entries;

    private PyDict(Map<String, Object> entries) {
        this.entries = entries;
    }

    /** A deep, immutable copy of {@code map} ({@code null} is the empty dict); a {@code PyDict} is returned as is. */
    public static PyDict copyOf(Map<?, ?> map) {
        if (map instanceof PyDict dict) {
            return dict;
        }
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        // forEach, not entrySet(): see TemplateRenderer.renderParams.
        map.forEach((key, value) -> copy.put(String.valueOf(key), wrap(value)));
        return new PyDict(Collections.unmodifiableMap(copy));
    }

    /** Nested maps and lists as {@code PyDict} / {@link PyList}; other values unchanged. */
    static Object wrap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copyOf(map);
        }
        if (value instanceof List<?> list) {
            return PyList.copyOf(list);
        }
        if (value instanceof Collection<?> collection) {
            return PyList.copyOf(new ArrayList<>(collection));
        }
        return value;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public Object get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
