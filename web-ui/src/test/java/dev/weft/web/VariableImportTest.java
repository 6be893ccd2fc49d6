package dev.weft.web;

import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.VariableStore;
import dev.weft.engine.variables.Variables;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariableImportTest {
    /** The store as a sorted map: the import's rules need no database. */
    private static final class MapStore extends TreeMap<String, VariableStore.StoredVariable> implements VariableStore {
        @Override
        public List<StoredVariable> list(boolean byCreation, boolean descending, int limit, int offset) {
            return values().stream().skip(offset).limit(limit).toList();
        }

        @Override
        public long count() {
            return size();
        }

        @Override
        public Optional<StoredVariable> find(String key) {
            return Optional.ofNullable(get(key));
        }

        @Override
        public void upsert(String key, String encryptedValue, String description, Instant now) {
            put(key, new StoredVariable(key, encryptedValue, description, now, now));
        }

        @Override
        public boolean delete(String key) {
            return remove(key) != null;
        }
    }

    private final Variables variables = new Variables(new MapStore(), new SecretCipher(new byte[32]),
            SensitiveNames.DEFAULT, Clock.systemUTC());

    private String value(String key) {
        return variables.find(key).orElseThrow().value();
    }

    @Test
    void theCliExportFormatIsReadTextAsTextAndTheRestAsJson() {
        Map<String, String> entries = VariableImport.parse("""
                {"region": "eu-west-1", "settings": {"bucket": "sales-raw", "limits": [10, 20]}, "retries": 3}""");
        assertThat(entries).containsExactly(Map.entry("region", "eu-west-1"),
                Map.entry("settings", "{\"bucket\":\"sales-raw\",\"limits\":[10,20]}"), Map.entry("retries", "3"));
    }

    @Test
    void whatIsNotAJsonObjectIsRefusedWithAnExample() {
        assertThatThrownBy(() -> VariableImport.parse(" ")).hasMessageStartingWith("Choose a JSON file");
        assertThatThrownBy(() -> VariableImport.parse("{\"a\": 1")).hasMessageStartingWith(
                "The file is not valid JSON (line 1, column 8)");
        assertThatThrownBy(() -> VariableImport.parse("[1, 2]")).hasMessage(
                "The file must be a JSON object, such as {\"region\": \"eu-west-1\"}");
    }

    @Test
    void maskedValuesAreSkippedAndDescriptionsKept() {
        variables.set("db_password", "hunter22", "the warehouse's");
        variables.set("region", "us-east-1", "where we run");
        VariableImport.Result result = VariableImport.run(variables, Map.of("db_password", "***", "region",
                "eu-west-1"), VariableImport.OnExisting.OVERWRITE);
        assertThat(result.imported()).isEqualTo(1);
        assertThat(result.message()).isEqualTo("1 of 2 variables imported. Skipped because their value is the mask"
                + " *** (sensitive values are not exported; set them one by one): db_password.");
        assertThat(value("db_password")).isEqualTo("hunter22");
        assertThat(variables.find("region").orElseThrow()).isEqualTo(new Variables.Variable("region", "eu-west-1",
                "where we run"));
    }

    @Test
    void existingKeysAreSkippedOrFailTheWholeImport() {
        variables.set("region", "us-east-1", null);
        Map<String, String> entries = new TreeMap<>(Map.of("region", "eu-west-1", "zone", "b"));
        assertThatThrownBy(() -> VariableImport.run(variables, entries, VariableImport.OnExisting.FAIL))
                .hasMessage("These keys exist already: region. Nothing was imported: choose overwrite or skip for"
                        + " existing keys.");
        assertThat(variables.find("zone")).isEmpty();

        VariableImport.Result skipped = VariableImport.run(variables, entries, VariableImport.OnExisting.of("skip"));
        assertThat(skipped.message()).isEqualTo("1 of 2 variables imported. Skipped because they exist: region.");
        assertThat(value("region")).isEqualTo("us-east-1");
        assertThat(value("zone")).isEqualTo("b");
        assertThatThrownBy(() -> VariableImport.OnExisting.of("replace")).hasMessageContaining(
                "choose overwrite, skip or fail");
    }

    @Test
    void aRefusedKeyIsReportedAndTheOthersImported() {
        VariableImport.Result result = VariableImport.run(variables, new TreeMap<>(Map.of(" ", "x", "ok", "1")),
                VariableImport.OnExisting.OVERWRITE);
        assertThat(result.imported()).isEqualTo(1);
        assertThat(result.message()).contains("Not imported: A variable needs a key");
    }
}
