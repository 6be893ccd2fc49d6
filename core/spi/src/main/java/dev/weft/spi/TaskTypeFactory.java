package dev.weft.spi;

import java.util.Set;

/**
 * What operator, sensor and notifier factories share: a type id, a params type, and which params are templated or
 * secret.
 *
 * @param <P> the params type, usually a record; the engine binds it from the task's rendered JSON params
 *            (snake_case names map to the record's components, e.g. {@code poke_interval} to {@code pokeInterval})
 */
public sealed interface TaskTypeFactory<P> permits OperatorFactory, SensorFactory, NotifierFactory {
    /** A stable, namespaced id such as {@code standard.file_sensor}: DAGs refer to the type by it. */
    String typeId();

    Class<P> paramsType();

    /** One line for listings and error messages. */
    default String description() {
        return typeId();
    }

    /** Whether the engine renders a param's templates ({@code {{ ds }}}) before binding. All are by default. */
    default boolean isTemplated(String paramName) {
        return true;
    }

    /**
     * Params that hold secrets: the UI shows them as {@code ***}, and their rendered values are masked in the try's
     * log (the API shows no param values).
     */
    default Set<String> sensitiveParams() {
        return Set.of();
    }

    /**
     * Checks bound params when the DAG is loaded, beyond what binding checks; throw
     * {@link InvalidParamsException} naming the field. Templated values are still unrendered here.
     */
    default void validate(P params, DefinitionContext context) {
    }
}
