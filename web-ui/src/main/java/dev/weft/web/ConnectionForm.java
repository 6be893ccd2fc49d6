package dev.weft.web;

import dev.weft.engine.connections.ConnectionSpec;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The fields of the connection form as typed, and the connection they make: blank fields are absent, an empty
 * password stands for the stored one (see {@code Connections.withStoredSecrets}), the port must be a port number and
 * the extra a JSON object. The password is read but never part of what is shown back ({@link #shown}).
 */
public record ConnectionForm(String connId, String connType, String description, String host, String schema, String login,
                      String password, String port, String extra) {
    /** The connection, or the first problem and the field it is in. */
    record Parsed(ConnectionSpec spec, String error, String field) {
        boolean ok() {
            return error == null;
        }
    }

    static ConnectionForm of(MultivaluedMap<String, String> form) {
        return new ConnectionForm(trimmed(form, "conn_id"), trimmed(form, "conn_type"), trimmed(form, "description"),
                trimmed(form, "host"), trimmed(form, "schema"), trimmed(form, "login"), form.getFirst("password"),
                trimmed(form, "port"), trimmed(form, "extra"));
    }

    /** The form as a page may show it again: everything typed but the password. */
    ConnectionForm shown() {
        return new ConnectionForm(connId, connType, description, host, schema, login, null, port, extra);
    }

    /** Whether a password was typed (it is not shown again: the page says to type it again). */
    boolean passwordTyped() {
        return password != null && !password.isEmpty();
    }

    Parsed parse() {
        Integer portNumber = null;
        if (!port.isEmpty()) {
            try {
                portNumber = Integer.valueOf(port);
            } catch (NumberFormatException e) {
                portNumber = -1;
            }
            if (portNumber < 1 || portNumber > 65535) {
                return new Parsed(null, "Port must be a number from 1 to 65535 (e.g. 5432), not '" + port + "'.",
                        "port");
            }
        }
        if (!extra.isEmpty()) {
            String problem = extraProblem(extra);
            if (problem != null) {
                return new Parsed(null, problem, "extra");
            }
        }
        return new Parsed(new ConnectionSpec(connId, absent(connType), absent(description),
                absent(host), absent(schema), absent(login), passwordTyped() ? password : null, portNumber,
                absent(extra)), null, null);
    }

    private static String extraProblem(String extra) {
        try {
            TriggerForm.jsonObject(extra, "extra", "{\"path\": \"/data\"} or {\"headers\": {\"X-Team\": \"data\"}}");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String trimmed(MultivaluedMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null ? "" : value.strip();
    }

    private static String absent(String value) {
        return value.isEmpty() ? null : value;
    }
}
