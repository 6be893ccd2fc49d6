package dev.weft.engine.connections;

import dev.weft.engine.json.Json;
import dev.weft.spi.Connection;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An Airflow connection with its secrets in clear (decrypted from the store, or read from {@code WEFT_CONN_<ID>}).
 * {@code extra} is the text of a JSON object, as Airflow keeps it; {@link #toString()} leaves the password and the
 * extra out.
 */
public record ConnectionSpec(String connId, String connType, String description, String host, String schema,
                             String login, String password, Integer port, String extra) {

    /** The connection in the REST API's shape (a URI parsed, a request's body). */
    public static ConnectionSpec of(dev.weft.api.model.Connection c) {
        return new ConnectionSpec(c.connectionId(), c.connType(), c.description(), c.host(), c.schema(), c.login(),
                c.password(), c.port(), c.extra());
    }

    /** This connection under another id (a URI or a JSON value carries none). */
    public ConnectionSpec withId(String id) {
        return new ConnectionSpec(id, connType, description, host, schema, login, password, port, extra);
    }

    public ConnectionSpec withSecrets(String newPassword, String newExtra) {
        return new ConnectionSpec(connId, connType, description, host, schema, login, newPassword, port, newExtra);
    }

    /**
     * The extra parsed, as Airflow's {@code extra_dejson}: empty when there is none or when it is not a JSON object
     * (Airflow logs and ignores such an extra too).
     */
    public Map<String, Object> extraDejson() {
        try {
            return Json.readObject(extra);
        } catch (UncheckedIOException | IllegalArgumentException notAnObject) {
            return Map.of();
        }
    }

    /** What a task sees ({@link dev.weft.spi.TaskContext#connection}). */
    public Connection toConnection() {
        return new Connection(connId, connType, host, schema, login, password, port, extraDejson());
    }

    @Override
    public String toString() {
        return "ConnectionSpec[" + connId + ", " + connType + ", host=" + host + "]";
    }
}
