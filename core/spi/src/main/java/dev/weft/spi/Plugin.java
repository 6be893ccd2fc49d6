package dev.weft.spi;

import java.util.List;

/**
 * The one entry point of a plugin jar, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.weft.spi.Plugin}. New methods arrive as defaults, so plugins built against an older
 * SPI keep loading.
 */
public interface Plugin {
    /** A short, stable name, e.g. {@code standard}; conventionally the prefix of its type ids. */
    String name();

    /** The plugin's version, recorded on every task try it runs. Defaults to the jar's Implementation-Version. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    default List<OperatorFactory<?>> operators() {
        return List.of();
    }

    default List<SensorFactory<?>> sensors() {
        return List.of();
    }

    /** Notifier types, usable as task and DAG callbacks. */
    default List<NotifierFactory<?>> notifiers() {
        return List.of();
    }
}
