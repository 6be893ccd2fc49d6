package dev.weft.examples;

import dev.weft.engine.dag.DagFileSchema;
import dev.weft.engine.json.Json;
import dev.weft.engine.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/dag-file.schema.json is the schema generated from the standard plugin's params types. Run with
 * {@code -Dweft.updateSchema=true} to rewrite it after a params type changed.
 */
class DagFileSchemaTest {
    private static final Path PUBLISHED = Path.of("../../docs/dag-file.schema.json");

    @Test
    void thePublishedSchemaIsUpToDate() throws Exception {
        PluginRegistry plugins = PluginRegistry.load(getClass().getClassLoader(), null);
        // The standard plugin's types only: the engine tests' plugin is on this class path too, and ships nowhere.
        String generated = DagFileSchema.json(Stream.concat(plugins.types().stream(),
                plugins.notifiers().stream()).filter(t -> t.typeId().startsWith("standard.")).toList());
        if (Boolean.getBoolean("weft.updateSchema") || !Files.exists(PUBLISHED)) {
            Files.writeString(PUBLISHED, generated);
        }
        assertThat(Files.readString(PUBLISHED)).as("regenerate with -Dweft.updateSchema=true").isEqualTo(generated);

        Map<String, Object> schema = Json.readObject(generated);
        assertThat(generated).contains("\"const\" : \"standard.shell\"").contains("\"skip_on_exit_code\"")
                .contains("\"op_kwargs\"").contains("\"execution_delta\"").contains("\"const\" : \"standard.email\"")
                .contains("\"on_failure_callback\"");
        assertThat(schema).containsKeys("$schema", "$defs", "properties");
    }
}
