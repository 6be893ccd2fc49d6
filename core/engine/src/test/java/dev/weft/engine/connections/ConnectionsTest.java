package dev.weft.engine.connections;

import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.ConnectionStore;
import dev.weft.engine.template.TemplateContext;
import dev.weft.engine.template.TemplateException;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionsTest {
    private static final TemplateRenderer RENDERER = new TemplateRenderer();
    private static final Instant T = Instant.parse("2026-11-20T00:00:00Z");
    private static final byte[] KEY = new byte[32];

    /** The store as a map: what the engine's policy needs, without a database. */
    static final class MapStore implements ConnectionStore {
        final Map<String, StoredConnection> rows = new TreeMap<>();

        @Override
        public List<StoredConnection> list(Order order, boolean descending, int limit, int offset) {
            return rows.values().stream().skip(offset).limit(limit).toList();
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public Optional<StoredConnection> find(String connId) {
            return Optional.ofNullable(rows.get(connId));
        }

        @Override
        public boolean insert(StoredConnection connection, Instant now) {
            return rows.putIfAbsent(connection.connId(), connection) == null;
        }

        @Override
        public boolean update(StoredConnection connection, Instant now) {
            return rows.replace(connection.connId(), connection) != null;
        }

        @Override
        public boolean delete(String connId) {
            return rows.remove(connId) != null;
        }
    }

    private final MapStore store = new MapStore();
    private final Map<String, String> environment = new HashMap<>();
    private final Connections connections = connections(new SecretCipher(KEY));

    private Connections connections(SecretCipher cipher) {
        return new Connections(store, cipher, SensitiveNames.DEFAULT, Clock.fixed(T, ZoneOffset.UTC),
                environment::get);
    }

    private static ConnectionSpec warehouse() {
        return new ConnectionSpec("warehouse", "postgres", "the warehouse", "db.example.com", "sales", "etl",
                "pg-pa55word", 5432, "{\"sslmode\": \"require\", \"headers\": {\"Authorization\": \"Bearer t0k3n-x\"}}");
    }

    private String render(String template, SecretMasker masker) {
        TemplateContext context = new TemplateContext("d", "t", "manual__x", RunType.MANUAL, true, T,
                new DataInterval(T, T), Map.of(), Map.of(), 1).withConnections(connections.reader(masker));
        return RENDERER.render(template, context);
    }

    @Test
    void storedSecretsAreEncryptedAndReadBack() {
        assertThat(connections.create(warehouse())).isTrue();
        assertThat(connections.create(warehouse())).isFalse();
        ConnectionStore.StoredConnection row = store.rows.get("warehouse");
        assertThat(row.encryptedPassword()).startsWith("v1:").doesNotContain("pg-pa55word");
        assertThat(row.encryptedExtra()).startsWith("v1:").doesNotContain("sslmode");
        assertThat(row.host()).isEqualTo("db.example.com");
        assertThat(connections.find("warehouse")).contains(warehouse());
        assertThat(connections.list(ConnectionStore.Order.ID, false, 10, 0).connections().get(0).password()).isNull();
    }

    @Test
    void templatesReadEveryFieldAndTheTrysMaskerGetsTheSecrets() {
        connections.create(warehouse());
        SecretMasker masker = new SecretMasker();
        assertThat(render("{{ conn.warehouse.host }}:{{ conn.warehouse.port }}/{{ conn.warehouse.schema }}"
                + " {{ conn.warehouse.login }} {{ conn.warehouse.conn_type }} {{ conn.warehouse.extra_dejson.sslmode }}",
                masker)).isEqualTo("db.example.com:5432/sales etl postgres require");
        String secret = render("{{ conn.warehouse.password }} {{ conn.warehouse.extra_dejson.headers.Authorization }}",
                masker);
        assertThat(masker.mask(secret)).isEqualTo("*** ***");
        assertThat(render("{{ conn.get('missing', 'none') }}", masker)).isEqualTo("none");
        assertThatThrownBy(() -> render("{{ conn.missing.host }}", masker)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("The conn_id `missing` isn't defined")
                .hasMessageContaining("weft connections add missing");
    }

    @Test
    void anEnvironmentVariableSuppliesAConnectionAsAUriOrJsonAndWinsOverTheStoredOne() {
        connections.create(warehouse());
        environment.put("WEFT_CONN_WAREHOUSE", "postgresql://env-user:env%2Fpw@env-host:6432/env_db");
        ConnectionSpec fromEnv = connections.lookup("warehouse").orElseThrow();
        assertThat(fromEnv.host()).isEqualTo("env-host");
        assertThat(fromEnv.password()).isEqualTo("env/pw");
        assertThat(fromEnv.connType()).isEqualTo("postgres");
        // the API manages the stored one
        assertThat(connections.find("warehouse").orElseThrow().host()).isEqualTo("db.example.com");

        environment.put("WEFT_CONN_MY_API", "{\"conn_type\": \"http\", \"host\": \"api.example.com\", \"port\": \"8443\","
                + " \"password\": \"json-secret\", \"extra\": {\"headers\": {\"X-Team\": \"data\"}}}");
        ConnectionSpec json = connections.lookup("my_api").orElseThrow();
        assertThat(json.port()).isEqualTo(8443);
        assertThat(json.extraDejson()).isEqualTo(Map.of("headers", Map.of("X-Team", "data")));
        SecretMasker masker = new SecretMasker();
        connections.reader(masker).connection("my_api");
        assertThat(masker.mask("pw=json-secret")).isEqualTo("pw=***");

        environment.put("WEFT_CONN_BROKEN", "{\"conn_type\": \"http\", \"passwd\": \"x\"}");
        assertThatThrownBy(() -> connections.lookup("broken")).hasMessageContaining("WEFT_CONN_BROKEN")
                .hasMessageContaining("unknown field(s) [passwd]");
        assertThat(connections.lookup("nowhere")).isEmpty();
    }

    @Test
    void theExtraIsShownRedactedAndTheMaskSentBackKeepsTheStoredSecret() {
        String extra = warehouse().extra();
        String shown = connections.shownExtra(extra);
        assertThat(shown).isEqualTo("{\"sslmode\":\"require\",\"headers\":{\"Authorization\":\"***\"}}");
        String edited = shown.replace("require", "verify-full");
        assertThat(connections.keepMaskedExtra(edited, extra))
                .isEqualTo("{\"sslmode\":\"verify-full\",\"headers\":{\"Authorization\":\"Bearer t0k3n-x\"}}");
        assertThat(connections.shownExtra("not json")).isEqualTo("not json");
    }

    @Test
    void aShownConnectionSentBackKeepsItsStoredSecrets() {
        connections.create(warehouse());
        ConnectionSpec shown = new ConnectionSpec("warehouse", "postgres", null, "db2.example.com", "sales", "etl",
                null, 5432, connections.shownExtra(warehouse().extra()));
        ConnectionSpec kept = connections.withStoredSecrets(shown);
        assertThat(kept.host()).isEqualTo("db2.example.com");
        assertThat(kept.password()).isEqualTo("pg-pa55word");
        assertThat(kept.extra()).contains("Bearer t0k3n-x");
        assertThat(connections.withStoredSecrets(shown.withSecrets("typed", "{}")).password()).isEqualTo("typed");
        ConnectionSpec unknown = shown.withId("not_stored");
        assertThat(connections.withStoredSecrets(unknown)).isEqualTo(unknown);
    }

    @Test
    void badIdsTypesAndExtrasAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> connections.create(warehouse().withId("has space")))
                .hasMessageContaining("alphanumeric characters, dashes, dots and underscores");
        assertThatThrownBy(() -> connections.create(new ConnectionSpec("x", null, null, null, null, null, null, null,
                null))).hasMessageContaining("needs a conn_type");
        assertThatThrownBy(() -> connections.create(warehouse().withSecrets("p", "{oops")))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void reencryptingMovesEveryValueToTheNewKeyWhileTheOldOneStillReads() {
        connections.create(warehouse());
        byte[] newKey = new byte[32];
        newKey[0] = 1;
        assertThatThrownBy(() -> connections(new SecretCipher(newKey)).find("warehouse"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class)
                .hasMessageContaining("previousSecretKeys");
        Connections rotating = connections(new SecretCipher(newKey, List.of(KEY)));
        assertThat(rotating.find("warehouse")).contains(warehouse());
        assertThat(rotating.reencryptAll()).isEqualTo(1);
        assertThat(connections(new SecretCipher(newKey)).find("warehouse")).contains(warehouse());
    }
}
