package dev.weft.spi.dag;

import java.util.Map;

/**
 * An operator type with the params of one use of it: what {@link DagBuilder#task} takes. Plugins may offer typed
 * builders that implement this (e.g. {@code Standard.shell("echo hi")}); {@link #of} covers any type by id.
 */
public interface OperatorRef {
    /** The namespaced type id, e.g. {@code standard.shell}. */
    String type();

    /** The params as JSON-like values; templated ones are rendered by the engine before each try. */
    Map<String, Object> params();

    static OperatorRef of(String type, Map<String, ?> params) {
        Map<String, Object> copy = JsonValues.immutableCopy(params);
        return new OperatorRef() {
            @Override public String type() { return type; }
            @Override public Map<String, Object> params() { return copy; }
        };
    }
}
