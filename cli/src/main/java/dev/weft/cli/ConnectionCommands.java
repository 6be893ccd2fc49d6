package dev.weft.cli;

import dev.weft.api.model.Connection;
import dev.weft.api.model.ConnectionCollection;
import dev.weft.api.model.ConnectionUri;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.weft.cli.WeftClient.seg;

/**
 * {@code weft connections list|get|add|delete|import|export}, with Airflow's arguments. A connection's password is
 * write-only: the server never returns it, so {@code get}, {@code list} and {@code export} never print it (Airflow's
 * do), and an import of an exported file keeps the stored passwords.
 */
final class ConnectionCommands {
    static final WeftCli.Noun NOUN = new WeftCli.Noun(Connections.class, List.of(List_.class, Get.class, Add.class,
            Delete.class, Import.class, Export.class));
    static final List<String> COLUMNS = List.of("conn_id", "conn_type", "description", "host", "schema", "login",
            "port");
    static final ConnectionUri URI = new ConnectionUri(new ConnectionUri.Json() {
        @Override
        public Object parse(String text) {
            try {
                return Json.parse(text);
            } catch (Json.ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public String write(Object value) {
            return Json.write(value);
        }
    });

    private ConnectionCommands() {
    }

    @Command(name = "connections", description = "Airflow connections (Op and Admin).", mixinStandardHelpOptions = true)
    static final class Connections extends GroupCommand {
    }

    @Command(name = "list", description = "List the connections (without passwords).", mixinStandardHelpOptions = true)
    static final class List_ extends ApiCommand {
        @Option(names = "--conn-id", paramLabel = "CONN_ID", description = "Only this connection.")
        String connId;

        @Override
        void execute(WeftClient api) {
            List<Map<String, Object>> rows = new ArrayList<>();
            if (connId != null) {
                rows.add(row(Json.toMap(api.get("/connections/" + seg(connId), Connection.class))));
            } else {
                api.getAll("/connections?order_by=connection_id", ConnectionCollection.class,
                        ConnectionCollection::connections).forEach(c -> rows.add(row(Json.toMap(c))));
            }
            rows(COLUMNS, rows);
        }
    }

    @Command(name = "get", description = "Print a connection: its fields and its URI, the password left out.",
            mixinStandardHelpOptions = true)
    static final class Get extends ApiCommand {
        @Parameters(index = "0", paramLabel = "CONN_ID")
        String connId;

        @Override
        void execute(WeftClient api) {
            Connection c = api.get("/connections/" + seg(connId), Connection.class);
            Map<String, Object> row = row(Json.toMap(c));
            row.put("extra", c.extra());
            row.put("uri", URI.format(c));
            List<String> columns = new ArrayList<>(COLUMNS);
            columns.addAll(List.of("extra", "uri"));
            rows(columns, List.of(row));
        }
    }

    /** Where a new connection's fields come from: a URI, JSON, or one option per field. */
    static final class Source {
        @Option(names = "--conn-uri", paramLabel = "URI",
                description = "Airflow's connection URI, e.g. postgres://user:pass@host:5432/db?sslmode=require.")
        String uri;
        @Option(names = "--conn-json", paramLabel = "JSON",
                description = "The connection as JSON: {\"conn_type\": ..., \"host\": ..., \"extra\": {...}}.")
        String json;
        @ArgGroup(exclusive = false)
        Fields fields;
    }

    static final class Fields {
        @Option(names = "--conn-type", paramLabel = "TYPE", required = true)
        String type;
        @Option(names = "--conn-host", paramLabel = "HOST")
        String host;
        @Option(names = "--conn-login", paramLabel = "LOGIN")
        String login;
        @Option(names = "--conn-password", paramLabel = "PASSWORD")
        String password;
        @Option(names = "--conn-port", paramLabel = "PORT")
        Integer port;
        @Option(names = "--conn-schema", paramLabel = "SCHEMA")
        String schema;
        @Option(names = "--conn-extra", paramLabel = "JSON", description = "The extra, a JSON object.")
        String extra;
    }

    @Command(name = "add", description = "Add a connection (--conn-uri, --conn-json, or --conn-type and the other "
            + "--conn-* options).", mixinStandardHelpOptions = true)
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "CONN_ID")
        String connId;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;
        @Option(names = "--conn-description", paramLabel = "DESCRIPTION")
        String description;

        @Override
        void execute(WeftClient api) {
            Map<String, Object> body;
            if (source.uri != null) {
                try {
                    body = body(URI.parse(connId, source.uri));
                } catch (IllegalArgumentException e) {
                    throw new CliException(CliException.USAGE, "--conn-uri: " + e.getMessage());
                }
            } else if (source.json != null) {
                body = fromJson(connId, source.json, "--conn-json");
            } else {
                Fields f = source.fields;
                body = new LinkedHashMap<>(WeftClient.map("connection_id", connId, "conn_type", f.type,
                        "host", f.host, "login", f.login, "password", f.password, "port", f.port,
                        "schema", f.schema, "extra", f.extra));
            }
            if (description != null) {
                body.put("description", description);
            }
            // The server's answer: without the password, the extra's secrets as ***.
            Connection created = Json.as(Connection.class, api.post("/connections", body));
            out().println("Successfully added `conn_id`=" + connId + " : " + URI.format(created));
        }
    }

    @Command(name = "delete", description = "Delete a connection.", mixinStandardHelpOptions = true)
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "CONN_ID")
        String connId;

        @Override
        void execute(WeftClient api) {
            try {
                api.delete("/connections/" + seg(connId));
            } catch (CliException e) {
                throw e.exitCode == CliException.NOT_FOUND ? new CliException(CliException.NOT_FOUND,
                        "Did not find a connection with `conn_id`=" + connId) : e;
            }
            out().println("Successfully deleted connection with `conn_id`=" + connId);
        }
    }

    @Command(name = "import", description = "Import connections from a JSON file ({\"conn_id\": {\"conn_type\": ...}"
            + " or {\"conn_id\": \"URI\"}; '-' reads standard input). An existing connection is skipped, or updated "
            + "with --overwrite (fields the file leaves out, such as an exported file's password, are kept).",
            mixinStandardHelpOptions = true)
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;
        @Option(names = "--overwrite", description = "Update connections that exist instead of skipping them.")
        boolean overwrite;

        @Override
        void execute(WeftClient api) {
            Object parsed = VariableCommands.parse(VariableCommands.read(file), file);
            if (!(parsed instanceof Map<?, ?> entries)) {
                throw new CliException(CliException.USAGE, file + " must hold a JSON object of connection ids and"
                        + " connections, e.g. {\"my_db\": \"postgres://user:pass@host/db\"}");
            }
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                String id = String.valueOf(e.getKey());
                Map<String, Object> body = e.getValue() instanceof String uri ? body(URI.parse(id, uri))
                        : fromJson(id, Json.write(e.getValue()), file + " (" + id + ")");
                try {
                    api.post("/connections", body);
                    out().println("Imported connection " + id);
                } catch (CliException clash) {
                    if (clash.exitCode != CliException.CONFLICT) {
                        throw clash;
                    }
                    if (!overwrite) {
                        out().println("Could not import connection " + id + ": connection already exists.");
                        continue;
                    }
                    body.values().removeIf(v -> v == null);
                    api.patch("/connections/" + seg(id), body);
                    out().println("Updated connection " + id);
                }
            }
        }
    }

    @Command(name = "export", description = "Export every connection to a JSON file ('-': standard output). "
            + "Passwords are not exported (the server never gives them out); the extra's secrets are written as ***.",
            mixinStandardHelpOptions = true)
    static final class Export extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;
        @Option(names = "--serialization-format", paramLabel = "FORMAT", defaultValue = "json",
                description = "How each connection is written: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Serialization serialization;

        enum Serialization { json, uri }

        @Override
        void execute(WeftClient api) {
            Map<String, Object> out = new TreeMap<>();
            for (var item : api.getAll("/connections", ConnectionCollection.class, ConnectionCollection::connections)) {
                String id = item.connectionId();
                Connection c = api.get("/connections/" + seg(id), Connection.class);
                if (serialization == Serialization.uri) {
                    out.put(id, URI.format(c));
                } else {
                    Map<String, Object> fields = new LinkedHashMap<>(Json.toMap(c));
                    fields.remove("connection_id");
                    fields.remove("password"); // never sent by the server
                    out.put(id, fields);
                }
            }
            if (!VariableCommands.export(out(), file, Json.pretty(new LinkedHashMap<>(out)) + "\n")) {
                return;
            }
            out().println(out.size() + " connections successfully exported to " + file + " (without passwords)");
        }
    }

    /** A list row: Airflow's column names. */
    private static Map<String, Object> row(Map<String, Object> c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("conn_id", c.get("connection_id"));
        for (String column : COLUMNS.subList(1, COLUMNS.size())) {
            row.put(column, c.get(column));
        }
        return row;
    }

    /** Airflow's {@code --conn-json}: the fields, {@code extra} an object or its text, {@code port} a number. */
    private static Map<String, Object> fromJson(String connId, String text, String what) {
        if (!(VariableCommands.parse(text, what) instanceof Map<?, ?> fields)) {
            throw new CliException(CliException.USAGE, what + " must be a JSON object such as {\"conn_type\":"
                    + " \"http\", \"host\": \"example.com\"}");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connection_id", connId);
        fields.forEach((k, v) -> body.put(String.valueOf(k), "extra".equals(k) && v != null && !(v instanceof String)
                ? Json.write(v) : v));
        if (body.get("port") instanceof String port && !port.isBlank()) {
            try {
                body.put("port", Integer.parseInt(port.strip()));
            } catch (NumberFormatException e) {
                throw new CliException(CliException.USAGE, what + ": expected an integer port, got '" + port + "'");
            }
        }
        return body;
    }

    private static Map<String, Object> body(Connection c) {
        return new LinkedHashMap<>(WeftClient.map("connection_id", c.connectionId(), "conn_type", c.connType(),
                "host", c.host(), "login", c.login(), "password", c.password(), "port", c.port(), "schema", c.schema(),
                "extra", c.extra()));
    }
}
