package dev.weft.engine.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.hubspot.jinjava.objects.PyWrapper;
import dev.weft.engine.json.Json;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code var} in a template, as Airflow's: {@code var.value.name} (the text), {@code var.json.name} (parsed JSON: a
 * dict, a list, a number...), and {@code var.value.get('name', default)} / {@code var.json.get(...)} for optional
 * ones. A missing variable without a default fails the render with what to do.
 */
public final class TemplateVariables {
    private final Lookup value;
    private final Lookup json;

    TemplateVariables(VariableSource source) {
        this.value = new Lookup("var.value", source::value, missing("value"));
        this.json = new Lookup("var.json", key -> source.json(key).map(TemplateVariables::pythonic), missing("json"));
    }

    public Lookup getValue() {
        return value;
    }

    public Lookup getJson() {
        return json;
    }

    @Override
    public String toString() {
        return "<var: value, json>";
    }

    private static Function<String, String> missing(String kind) {
        return name -> "Variable '" + name + "' does not exist: create it with 'weft variables set " + name
                + " VALUE' (or POST /api/v1/variables), or give a default: var." + kind + ".get('" + name
                + "', 'default')";
    }

    /** Parses a variable's text as JSON, or says which variable is not JSON. */
    static Object parseJson(String key, String text) {
        try {
            return Json.mapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Variable '" + key + "' is not valid JSON (var.json needs JSON; use"
                    + " var.value for text): " + e.getOriginalMessage());
        }
    }

    /** JSON objects and arrays as the dicts and lists templates print like Python's. */
    static Object pythonic(Object parsed) {
        if (parsed instanceof Map<?, ?> map) {
            return PyDict.copyOf(map);
        }
        if (parsed instanceof List<?> list) {
            return PyList.copyOf(list);
        }
        return parsed;
    }

    /**
     * {@code var.value}, {@code var.json} or {@code conn}: a map to Jinja, so {@code .name} and {@code ['name']} look
     * a name up; it lists nothing (names are read one by one, never all at once). A {@link PyWrapper}, so Jinjava
     * calls its own {@code get(name, default)} instead of wrapping it in a dict whose {@code get} would look the name
     * up first.
     */
    public static final class Lookup extends AbstractMap<String, Object> implements PyWrapper {
        private final String label;
        private final Function<String, Optional<?>> read;
        private final Function<String, String> missing;

        /** {@code missing}: the error message for a name that is not there, and what to do. */
        Lookup(String label, Function<String, Optional<?>> read, Function<String, String> missing) {
            this.label = label;
            this.read = read;
            this.missing = missing;
        }

        @Override
        public Object get(Object key) {
            String name = String.valueOf(key);
            return read.apply(name).orElseThrow(() -> new IllegalArgumentException(missing.apply(name)));
        }

        /** {@code var.value.get('name', default)}: the default when the variable does not exist. */
        public Object get(String key, Object defaultValue) {
            Optional<?> found = read.apply(key);
            return found.isPresent() ? found.get() : defaultValue;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }

        @Override
        public String toString() {
            return "<" + label + ">";
        }
    }
}
