package dev.weft.spi.dag;

import java.util.Map;

/** A sensor type with the params of one use of it: what {@link DagBuilder#sensor} takes. */
public interface SensorRef {
    /** The namespaced type id, e.g. {@code standard.file_sensor}. */
    String type();

    /** The params as JSON-like values; templated ones are rendered by the engine before each poke. */
    Map<String, Object> params();

    static SensorRef of(String type, Map<String, ?> params) {
        Map<String, Object> copy = JsonValues.immutableCopy(params);
        return new SensorRef() {
            @Override public String type() { return type; }
            @Override public Map<String, Object> params() { return copy; }
        };
    }
}
