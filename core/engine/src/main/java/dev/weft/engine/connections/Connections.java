package dev.weft.engine.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.model.ConnectionUri;
import dev.weft.engine.json.Json;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.ConnectionStore;
import dev.weft.engine.store.ConnectionStore.StoredConnection;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Airflow's Connections: the password and the extra encrypted on the way into the store and decrypted on the way
 * out; a connection supplied by the environment variable {@code WEFT_CONN_<ID>} (a URI or JSON, as Airflow's
 * {@code AIRFLOW_CONN_<ID>}) wins over the stored one when a task reads it; the decision which extra fields are
 * secret (their key looks sensitive, see {@link SensitiveNames}) and so shown only as {@value SecretMasker#MASK}.
 */
public final class Connections {
    /** Airflow's limit on a connection id in its API. */
    public static final int MAX_ID_LENGTH = 200;
    /** The prefix of the environment variables that supply connections. */
    public static final String ENV_PREFIX = "WEFT_CONN_";
    private static final Pattern ID = Pattern.compile("[\\w.-]+");
    /** Airflow's URI format with the engine's JSON. */
    public static final ConnectionUri URI = new ConnectionUri(new ConnectionUri.Json() {
        @Override
        public Object parse(String text) {
            try {
                return Json.mapper().readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e.getOriginalMessage(), e);
            }
        }

        @Override
        public String write(Object value) {
            return Json.write(value);
        }
    });
    private static final Set<String> JSON_FIELDS = Set.of("conn_type", "description", "host", "login", "password",
            "schema", "port", "extra");

    private final ConnectionStore store;
    private final SecretCipher cipher;
    private final SensitiveNames sensitive;
    private final Clock clock;
    private final Function<String, String> environment;

    /** {@code environment}: the process's environment variables by name, e.g. {@code System::getenv}. */
    public Connections(ConnectionStore store, SecretCipher cipher, SensitiveNames sensitive, Clock clock,
                       Function<String, String> environment) {
        this.store = store;
        this.cipher = cipher;
        this.sensitive = sensitive;
        this.clock = clock;
        this.environment = environment;
    }

    /** A page of stored connections without their secrets, and how many there are. */
    public record Page(List<ConnectionSpec> connections, long total) {
    }

    public Page list(ConnectionStore.Order order, boolean descending, int limit, int offset) {
        List<ConnectionSpec> page = store.list(order, descending, limit, offset).stream()
                .map(c -> new ConnectionSpec(c.connId(), c.connType(), c.description(), c.host(), c.schema(),
                        c.login(), null, c.port(), null)).toList();
        return new Page(page, store.count());
    }

    /** The stored connection with its secrets decrypted (the environment is not read: what the API manages). */
    public Optional<ConnectionSpec> find(String connId) {
        return store.find(connId).map(this::decrypt);
    }

    /** What a task reads: {@code WEFT_CONN_<ID>} when that variable is set, else the stored connection. */
    public Optional<ConnectionSpec> lookup(String connId) {
        String value = environment.apply(envName(connId));
        if (value != null && !value.isBlank()) {
            try {
                return Optional.of(fromText(connId, value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The environment variable " + envName(connId) + " does not hold a"
                        + " connection: " + e.getMessage());
            }
        }
        return find(connId);
    }

    /** The environment variable that supplies {@code connId}: Airflow's rule, the id upper-cased. */
    public static String envName(String connId) {
        return ENV_PREFIX + connId.toUpperCase(Locale.ROOT);
    }

    /** A connection from a URI, or from JSON when the text starts with '{' (Airflow's rule for its variables). */
    public static ConnectionSpec fromText(String connId, String text) {
        return text.strip().startsWith("{") ? fromJson(connId, text) : ConnectionSpec.of(URI.parse(connId, text.strip()));
    }

    /**
     * Airflow's {@code Connection.from_json}: {@code conn_type}, {@code host}, {@code login}, {@code password},
     * {@code schema}, {@code port} (a number or a numeric string), {@code extra} (an object or its JSON text),
     * {@code description}.
     */
    public static ConnectionSpec fromJson(String connId, String json) {
        Map<String, Object> fields;
        try {
            fields = Json.mapper().readValue(json, Json.mapper().getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        Set<String> unknown = new TreeSet<>(fields.keySet());
        unknown.removeAll(JSON_FIELDS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + unknown + "; a connection has "
                    + new TreeSet<>(JSON_FIELDS));
        }
        Object extra = fields.get("extra");
        Object port = fields.get("port");
        Integer portNumber = null;
        if (port != null && !"".equals(port)) {
            try {
                portNumber = Integer.valueOf(String.valueOf(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Expected integer value for `port`, but got '" + port
                        + "' instead.");
            }
        }
        String type = text(fields, "conn_type");
        return new ConnectionSpec(connId, type == null ? null : ConnectionUri.normalizeType(type),
                text(fields, "description"), text(fields, "host"), text(fields, "schema"), text(fields, "login"),
                text(fields, "password"), portNumber,
                extra == null || extra instanceof String ? (String) extra : Json.write(extra));
    }

    private static String text(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof String)) {
            // the value is not shown: it may be the password
            throw new IllegalArgumentException("'" + name + "' must be a string, not a "
                    + value.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        }
        return (String) value;
    }

    /**
     * Creates a connection.
     *
     * @return false when a connection with that id exists
     * @throws IllegalArgumentException when the id, type or extra is not valid
     */
    public boolean create(ConnectionSpec c) {
        validate(c);
        return store.insert(encrypt(c), clock.instant());
    }

    /** Replaces every field of an existing connection; false when there is none. */
    public boolean update(ConnectionSpec c) {
        validate(c);
        return store.update(encrypt(c), clock.instant());
    }

    public boolean delete(String connId) {
        return store.delete(connId);
    }

    /** Checks the id (letters, digits, {@code _ . -}, at most 200), the type (required) and the extra (JSON). */
    public static void validate(ConnectionSpec c) {
        String id = c.connId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A connection needs an id (connection_id, e.g. 'sales_db')");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("The connection id '" + id.substring(0, 20) + "...' has "
                    + id.length() + " characters; at most " + MAX_ID_LENGTH + " are allowed");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("The connection id '" + id + "' has to be made of alphanumeric"
                    + " characters, dashes, dots and underscores exclusively");
        }
        if (c.connType() == null || c.connType().isBlank()) {
            throw new IllegalArgumentException("Connection '" + id + "' needs a conn_type (e.g. 'http',"
                    + " 'postgres', 'fs')");
        }
        if (c.extra() != null && !c.extra().isEmpty()) {
            try {
                Json.mapper().readTree(c.extra());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("The extra of connection '" + id + "' is not valid JSON: "
                        + e.getOriginalMessage());
            }
        }
    }

    /** Whether an extra field with this name holds a secret. */
    public boolean isSensitive(String name) {
        return sensitive.isSensitive(name);
    }

    /**
     * The extra as a response or the UI may show it, Airflow's {@code redact}: the value of every sensitive key, at
     * any depth, replaced by {@value SecretMasker#MASK}. An extra that is not JSON is shown as it is.
     */
    public String shownExtra(String extra) {
        if (extra == null) {
            return null;
        }
        try {
            return Json.write(redact(Json.mapper().readValue(extra, Object.class)));
        } catch (JsonProcessingException notJson) {
            return extra;
        }
    }

    private Object redact(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, isSensitive(String.valueOf(k)) && v != null ? SecretMasker.MASK
                    : redact(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::redact).toList();
        }
        return value;
    }

    /**
     * {@code incoming} extra with each {@value SecretMasker#MASK} under a sensitive key replaced by the value
     * {@code stored} has there: a shown connection sent back (by an edit form, an export) keeps its secrets.
     */
    public String keepMaskedExtra(String incoming, String stored) {
        if (incoming == null || stored == null || !incoming.contains(SecretMasker.MASK)) {
            return incoming;
        }
        try {
            Object in = Json.mapper().readValue(incoming, Object.class);
            Object old = Json.mapper().readValue(stored, Object.class);
            return Json.write(restore(in, old));
        } catch (JsonProcessingException notJson) {
            return incoming;
        }
    }

    private Object restore(Object incoming, Object stored) {
        if (incoming instanceof Map<?, ?> in && stored instanceof Map<?, ?> old) {
            Map<Object, Object> out = new LinkedHashMap<>();
            in.forEach((k, v) -> out.put(k, SecretMasker.MASK.equals(v) && isSensitive(String.valueOf(k))
                    && old.containsKey(k) ? old.get(k) : restore(v, old.get(k))));
            return out;
        }
        return incoming;
    }

    /**
     * {@code given} with the stored secrets of the connection of its id where it stands for them: no password means
     * the stored password, and {@value SecretMasker#MASK} in the extra the stored value there. So a connection as it
     * was shown (an edit form left as it was, a test of a listed connection) keeps its secrets. Unchanged when no
     * connection of that id is stored.
     */
    public ConnectionSpec withStoredSecrets(ConnectionSpec given) {
        return find(given.connId()).map(stored -> given.withSecrets(
                given.password() == null ? stored.password() : given.password(),
                keepMaskedExtra(given.extra(), stored.extra()))).orElse(given);
    }

    /** What one try (or one rendering) reads: its secrets go into {@code masker}. */
    public TryConnections reader(SecretMasker masker) {
        return new TryConnections(this, masker);
    }

    /**
     * Encrypts every stored connection's secrets again with the current key (they may have been written with a
     * previous one, see {@code previousSecretKeys}).
     *
     * @return how many connections were rewritten
     */
    public int reencryptAll() {
        int rewritten = 0;
        for (StoredConnection stored : store.list(ConnectionStore.Order.ID, false, Integer.MAX_VALUE, 0)) {
            store.update(encrypt(decrypt(stored)), clock.instant());
            rewritten++;
        }
        return rewritten;
    }

    private StoredConnection encrypt(ConnectionSpec c) {
        return new StoredConnection(c.connId(), c.connType(), c.description(), c.host(), c.schema(), c.login(),
                c.password() == null ? null : cipher.encrypt(c.password()), c.port(),
                c.extra() == null ? null : cipher.encrypt(c.extra()));
    }

    private ConnectionSpec decrypt(StoredConnection c) {
        String what = "connection '" + c.connId() + "'";
        return new ConnectionSpec(c.connId(), c.connType(), c.description(), c.host(), c.schema(), c.login(),
                c.encryptedPassword() == null ? null : cipher.decrypt(c.encryptedPassword(), what + " (password)"),
                c.port(), c.encryptedExtra() == null ? null : cipher.decrypt(c.encryptedExtra(), what + " (extra)"));
    }
}
