package dev.weft.spi;

import java.util.Map;

/**
 * An Airflow connection as a task reads it ({@link TaskContext#connection}): where a service is and how to log in.
 * {@link #toString()} leaves the password out, so a connection logged whole does not print it.
 *
 * @param extra the connection's {@code extra} JSON object parsed (Airflow's {@code extra_dejson}); empty when none
 */
public record Connection(String connId, String connType, String host, String schema, String login, String password,
                         Integer port, Map<String, Object> extra) {
    public Connection {
        extra = extra == null ? Map.of() : extra;
    }

    /**
     * The base URL of a web service's connection, as Airflow's HttpHook builds it: the host when it holds a scheme
     * ({@code https://api.example.com}), else {@code <schema or http>://<host>}; then {@code :port} when there is one.
     */
    public String httpBaseUrl() {
        String base;
        if (host != null && host.contains("://")) {
            base = host;
        } else {
            base = (schema == null || schema.isEmpty() ? "http" : schema) + "://" + (host == null ? "" : host);
        }
        return port == null ? base : base + ":" + port;
    }

    @Override
    public String toString() {
        return "Connection[" + connId + ": " + connType + "://" + (login == null ? "" : login + "@")
                + (host == null ? "" : host) + (port == null ? "" : ":" + port)
                + (schema == null || schema.isEmpty() ? "" : "/" + schema) + "]";
    }
}
