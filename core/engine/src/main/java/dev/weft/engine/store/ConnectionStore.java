package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's Connections as stored: the password and the extra encrypted ({@code v1:...}, see the engine's
 * {@code SecretCipher}), the other fields in clear so they can be listed and sorted.
 */
public interface ConnectionStore {
    record StoredConnection(String connId, String connType, String description, String host, String schema,
                            String login, String encryptedPassword, Integer port, String encryptedExtra) {
    }

    /** The orders a page can have, Airflow's {@code order_by} names. */
    enum Order { CONNECTION_ID, CONN_TYPE, DESCRIPTION, HOST, PORT, ID }

    List<StoredConnection> list(Order order, boolean descending, int limit, int offset);

    long count();

    Optional<StoredConnection> find(String connId);

    /** Inserts a new connection; false when one with that id exists. */
    boolean insert(StoredConnection connection, Instant now);

    /** Replaces every field of an existing connection; false when there is none with that id. */
    boolean update(StoredConnection connection, Instant now);

    boolean delete(String connId);
}
