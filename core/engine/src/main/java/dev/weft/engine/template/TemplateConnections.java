package dev.weft.engine.template;

import dev.weft.engine.json.Json;
import dev.weft.spi.Connection;

/**
 * {@code conn} in a template, as Airflow's: {@code conn.my_db.host}, {@code conn.my_db.login},
 * {@code conn.my_db.password}, {@code conn.my_db.port}, {@code conn.my_db.schema}, {@code conn.my_db.conn_type},
 * {@code conn.my_db.extra} (the JSON text) and {@code conn.my_db.extra_dejson.key}; {@code conn.get('my_db', default)}
 * for an optional one. A missing connection without a default fails the render with what to do.
 */
public final class TemplateConnections {
    private TemplateConnections() {
    }

    static TemplateVariables.Lookup lookup(ConnectionSource source) {
        return new TemplateVariables.Lookup("conn", id -> source.connection(id).map(TemplateConnection::new),
                id -> "The conn_id `" + id + "` isn't defined: create it with 'weft connections add " + id
                        + " --conn-uri URI' (or POST /api/v1/connections), set the environment variable WEFT_CONN_"
                        + id.toUpperCase(java.util.Locale.ROOT) + " of the workers, or give a default: conn.get('"
                        + id + "', None)");
    }

    /** One connection as a template reads it; snake_case names call these getters. */
    public static final class TemplateConnection {
        private final Connection connection;

        TemplateConnection(Connection connection) {
            this.connection = connection;
        }

        public String getConnId() {
            return connection.connId();
        }

        public String getConnType() {
            return connection.connType();
        }

        public String getHost() {
            return connection.host();
        }

        public String getSchema() {
            return connection.schema();
        }

        public String getLogin() {
            return connection.login();
        }

        public String getPassword() {
            return connection.password();
        }

        public Integer getPort() {
            return connection.port();
        }

        /** The extra as JSON text. */
        public String getExtra() {
            return connection.extra().isEmpty() ? null : Json.write(connection.extra());
        }

        public PyDict getExtraDejson() {
            return PyDict.copyOf(connection.extra());
        }

        @Override
        public String toString() {
            return connection.connId();
        }
    }
}
