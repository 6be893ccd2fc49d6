package dev.weft.engine.variables;

import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.VariableStore;
import dev.weft.engine.template.TemplateContext;
import dev.weft.engine.template.TemplateException;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariablesTest {
    private static final TemplateRenderer RENDERER = new TemplateRenderer();
    private static final Instant T = Instant.parse("2026-11-20T00:00:00Z");

    /** The store as a map: what the engine's policy needs, without a database. */
    static final class MapStore implements VariableStore {
        final Map<String, StoredVariable> rows = new TreeMap<>();

        @Override
        public List<StoredVariable> list(boolean byCreation, boolean descending, int limit, int offset) {
            Comparator<StoredVariable> order = byCreation ? Comparator.comparing(StoredVariable::createdAt)
                    : Comparator.comparing(StoredVariable::key);
            return rows.values().stream().sorted(descending ? order.reversed() : order).skip(offset).limit(limit)
                    .toList();
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public Optional<StoredVariable> find(String key) {
            return Optional.ofNullable(rows.get(key));
        }

        @Override
        public void upsert(String key, String encryptedValue, String description, Instant now) {
            Instant created = rows.containsKey(key) ? rows.get(key).createdAt() : now;
            rows.put(key, new StoredVariable(key, encryptedValue, description, created, now));
        }

        @Override
        public boolean delete(String key) {
            return rows.remove(key) != null;
        }
    }

    private final MapStore store = new MapStore();
    private final Variables variables = new Variables(store, new SecretCipher(new byte[32]),
            SensitiveNames.DEFAULT, Clock.fixed(T, ZoneOffset.UTC));

    private TemplateContext context(SecretMasker masker) {
        return new TemplateContext("d", "t", "manual__x", RunType.MANUAL, true, T, new DataInterval(T, T), Map.of(),
                Map.of(), 1).withVariables(variables.reader(masker));
    }

    private String render(String template) {
        return RENDERER.render(template, context(new SecretMasker()));
    }

    @Test
    void valuesAreStoredEncryptedAndReadBackDecrypted() {
        variables.set("region", "eu-west-1", "where we run");
        assertThat(store.rows.get("region").encryptedValue()).startsWith("v1:").doesNotContain("eu-west-1");
        assertThat(variables.find("region")).contains(new Variables.Variable("region", "eu-west-1", "where we run"));
        variables.set("region", "us-east-2", null);
        assertThat(variables.find("region").orElseThrow().value()).isEqualTo("us-east-2");
        assertThat(variables.list(false, false, 10, 0).variables())
                .containsExactly(new Variables.Variable("region", null, null));
        assertThat(variables.delete("region")).isTrue();
        assertThat(variables.find("region")).isEmpty();
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> variables.set(" ", "x", null)).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> variables.set("k".repeat(251), "x", null)).hasMessageContaining("at most 250");
        assertThatThrownBy(() -> variables.set("k", null, null)).hasMessageContaining("needs a value");
    }

    @Test
    void sensitiveValuesAreShownMasked() {
        variables.set("db_password", "hunter22", null);
        variables.set("region", "eu-west-1", null);
        assertThat(variables.shown(variables.find("db_password").orElseThrow())).isEqualTo("***");
        assertThat(variables.shown(variables.find("region").orElseThrow())).isEqualTo("eu-west-1");
    }

    @Test
    void theMaskSentBackForASensitiveKeyKeepsTheStoredValue() {
        variables.set("db_password", "hunter22", null);
        variables.setShown("db_password", "***", "changed only the description");
        assertThat(variables.find("db_password")).contains(new Variables.Variable("db_password", "hunter22",
                "changed only the description"));
        variables.setShown("db_password", "n3w-secret", null);
        assertThat(variables.find("db_password").orElseThrow().value()).isEqualTo("n3w-secret");
        // Not sensitive: *** is a value like any other.
        variables.setShown("stars", "***", null);
        assertThat(variables.find("stars").orElseThrow().value()).isEqualTo("***");
        assertThatThrownBy(() -> variables.setShown("new_token", "***", null))
                .hasMessageContaining("variable 'new_token' has no value yet: send the real value");
    }

    @Test
    void templatesReadValuesAndJson() {
        variables.set("region", "eu-west-1", null);
        variables.set("cfg", "{\"bucket\": \"b1\", \"sizes\": [1, 2], \"on\": true}", null);
        assertThat(render("s3://{{ var.value.region }}/{{ var.value['region'] }}")).isEqualTo("s3://eu-west-1/eu-west-1");
        assertThat(render("{{ var.json.cfg.bucket }} {{ var.json.cfg.sizes[1] }} {{ var.json.cfg }}"))
                .isEqualTo("b1 2 {'bucket': 'b1', 'sizes': [1, 2], 'on': True}");
        assertThat(render("{{ var.value.get('nope', 'dflt') }} {{ var.json.get('nope', {'a': 1}).a }}"))
                .isEqualTo("dflt 1");
        assertThat(render("{{ var.value.get('region', 'dflt') }}")).isEqualTo("eu-west-1");
    }

    @Test
    void aMissingVariableFailsTheRenderWithHowToCreateIt() {
        assertThatThrownBy(() -> render("{{ var.value.region }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Variable 'region' does not exist")
                .hasMessageContaining("weft variables set region");
        variables.set("text", "not json", null);
        assertThatThrownBy(() -> render("{{ var.json.text }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Variable 'text' is not valid JSON");
    }

    @Test
    void sensitiveValuesATryReadAreCollectedForItsLog() {
        variables.set("api_token", "tok-123456", null);
        variables.set("service_account_json", "{\"private\": \"pk-abcdef\", \"n\": 5}", null);
        variables.set("region", "eu-west-1", null);
        SecretMasker masker = new SecretMasker();
        String out = RENDERER.render("{{ var.value.api_token }} {{ var.json.service_account_json.private }}"
                + " {{ var.value.region }}", context(masker));
        assertThat(out).isEqualTo("tok-123456 pk-abcdef eu-west-1");
        assertThat(masker.mask(out)).isEqualTo("*** *** eu-west-1");
        SecretMasker accessor = new SecretMasker();
        assertThat(variables.reader(accessor).value("api_token")).contains("tok-123456");
        assertThat(accessor.mask("token tok-123456")).isEqualTo("token ***");
    }

    @Test
    void reencryptingMovesEveryValueToTheNewKeyWhileTheOldOneStillReads() {
        variables.set("region", "eu-west-1", "where");
        byte[] newKey = new byte[32];
        newKey[31] = 7;
        Variables rotating = new Variables(store, new SecretCipher(newKey, List.of(new byte[32])),
                SensitiveNames.DEFAULT, Clock.fixed(T, ZoneOffset.UTC));
        assertThat(rotating.reencryptAll()).isEqualTo(1);
        assertThat(new Variables(store, new SecretCipher(newKey), SensitiveNames.DEFAULT, Clock.fixed(T,
                ZoneOffset.UTC)).find("region")).contains(new Variables.Variable("region", "eu-west-1", "where"));
        assertThatThrownBy(() -> variables.find("region"))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);
    }
}
