package dev.weft.engine.template;

import java.util.Optional;

/** Where {@code var} in a template reads Airflow Variables from (the engine's store, for one try). */
@FunctionalInterface
public interface VariableSource {
    /** A source with no variables: every {@code var.value.x} is missing. */
    VariableSource NONE = key -> Optional.empty();

    Optional<String> value(String key);

    /** The variable's value parsed as JSON; by default {@link #value} parsed. */
    default Optional<Object> json(String key) {
        return value(key).map(text -> TemplateVariables.parseJson(key, text));
    }
}
