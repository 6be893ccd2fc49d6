package dev.weft.engine.template;

import dev.weft.spi.Connection;

import java.util.Optional;

/** Where {@code conn} in a template reads Airflow connections from (the environment and the store, for one try). */
@FunctionalInterface
public interface ConnectionSource {
    /** A source with no connections: every {@code conn.x} is missing. */
    ConnectionSource NONE = connId -> Optional.empty();

    Optional<Connection> connection(String connId);
}
