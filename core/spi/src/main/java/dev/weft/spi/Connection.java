package dev.weft.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
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

    /**
     * The headers a request to a web service's connection carries, as Airflow's HttpHook sends them: a Basic
     * {@code Authorization} from the login and password when there is a login, then the entries of the extra's
     * {@code headers} object (which may replace it).
     */
    public Map<String, String> httpHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (login != null && !login.isEmpty()) {
            String pair = login + ":" + (password == null ? "" : password);
            headers.put("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (extra.get("headers") instanceof Map<?, ?> extraHeaders) {
            extraHeaders.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        return headers;
    }

    @Override
    public String toString() {
        return "Connection[" + connId + ": " + connType + "://" + (login == null ? "" : login + "@")
                + (host == null ? "" : host) + (port == null ? "" : ":" + port)
                + (schema == null || schema.isEmpty() ? "" : "/" + schema) + "]";
    }
}
