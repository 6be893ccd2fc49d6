package dev.weft.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.api.model.Dag;
import dev.weft.api.model.Pool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field the CLI reads or sends exists in the API's contract: the CLI reads responses only through records of
 * the API model ({@link Json#as}), so each record its classes use, with the records nested in it, is checked
 * property by property against its schema in Airflow's REST API v1 specification or, for Weft's own endpoints, in
 * Weft's OpenAPI file.
 */
class ContractFieldsTest {
    private static final Path AIRFLOW = Path.of("..", "api-server", "src", "test", "resources", "contract",
            "airflow-rest-api-v1.yaml");
    private static final Path WEFT = Path.of("..", "api-server", "src", "main", "resources", "openapi",
            "weft-api.yaml");
    private static final String LOG = "/paths/~1dags~1{dag_id}~1dagRuns~1{dag_run_id}~1taskInstances~1{task_id}"
            + "~1logs~1{task_try_number}/get/responses/200/content/application~1json/schema";

    /** Where a record whose name is not its schema's lives: its spec and JSON pointer. */
    private static final Map<String, String> SCHEMA_OF = Map.of(
            "Plugin", "airflow:/components/schemas/PluginCollectionItem",
            "TriggerDagRun", "airflow:/components/schemas/DAGRun", // Airflow's body of POST .../dagRuns
            "LogContent", "airflow:" + LOG,
            "BackfillBody", "weft:/paths/~1weft~1dags~1{dag_id}~1backfills/post/requestBody/content/"
                    + "application~1json/schema");

    private final Map<String, Object> airflow = load(AIRFLOW);
    private final Map<String, Object> weft = load(WEFT);

    @Test
    void everyFieldOfEveryModelRecordTheCliUsesIsInTheContract() throws Exception {
        Set<Class<?>> used = modelClassesUsedByTheCli();
        assertThat(used).as("the CLI reads its responses through the API model's records")
                .extracting(Class::getSimpleName).contains("Dag", "DagRun", "TaskInstance", "Pool", "User",
                        "Variable", "LogContent", "BackfillResult", "VersionInfo", "Problem");
        List<String> missing = new ArrayList<>();
        Set<Class<?>> checked = new java.util.HashSet<>();
        for (Class<?> record : used) {
            if (record.isRecord() && record.getEnclosingClass() == null) {
                Map<String, Object> schema = schemaOf(record);
                if (schema == null) {
                    missing.add(record.getSimpleName() + ": no schema of that name in either contract");
                } else {
                    missing.addAll(check(record, schema, record.getSimpleName(), checked));
                }
            }
        }
        assertThat(missing).as("fields of the API model the CLI uses that neither contract has").isEmpty();
        for (Class<?> c : used) {
            if (c.isRecord()) {
                assertThat(checked).as(c.getName() + " is checked as part of the record it belongs to").contains(c);
            }
        }
    }

    @Test
    void aFieldTheContractDoesNotHaveIsFound() {
        record Renamed(@JsonProperty("dag_id") String dagId, @JsonProperty("is_pausd") Boolean isPaused,
                       @JsonProperty("pools") List<Pool> pools) {
        }
        List<String> missing = check(Renamed.class, schema(airflow, "/components/schemas/DAG"), "Renamed",
                new java.util.HashSet<>());
        assertThat(missing).containsExactly("Renamed.is_pausd", "Renamed.pools");
        assertThat(check(Dag.class, schema(airflow, "/components/schemas/DAG"), "Dag", new java.util.HashSet<>()))
                .isEmpty();
    }

    /** The records of the API model that the CLI's compiled classes name (in code, fields or signatures). */
    private static Set<Class<?>> modelClassesUsedByTheCli() throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path classes = Path.of(WeftCli.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/weft/cli");
        Pattern model = Pattern.compile("dev/weft/api/model/([A-Za-z0-9_$]+)");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                Matcher m = model.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        Set<Class<?>> used = new java.util.LinkedHashSet<>();
        for (String n : names) {
            used.add(Class.forName("dev.weft.api.model." + n));
        }
        return used;
    }

    private Map<String, Object> schemaOf(Class<?> record) {
        String where = SCHEMA_OF.get(record.getSimpleName());
        if (where != null) {
            int colon = where.indexOf(':');
            return schema(where.startsWith("weft:") ? weft : airflow, where.substring(colon + 1));
        }
        for (Map<String, Object> spec : List.of(airflow, weft)) {
            Map<String, Object> schemas = map(map(spec.get("components")).get("schemas"));
            for (String name : schemas.keySet()) {
                if (name.equalsIgnoreCase(record.getSimpleName())) {
                    return resolve(spec, map(schemas.get(name)));
                }
            }
        }
        return null;
    }

    /** The record's JSON properties missing from the schema, and those of the records nested in it. */
    private List<String> check(Class<?> record, Map<String, Object> schema, String path, Set<Class<?>> checked) {
        checked.add(record);
        Map<String, Object> spec = schema.containsKey("$spec") ? map(schema.get("$spec")) : airflow;
        Map<String, Object> properties = properties(spec, schema);
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            String name = Json.jsonName(c);
            Object property = properties.get(name);
            if (property == null) {
                missing.add(path + "." + name);
                continue;
            }
            Class<?> nested = nestedRecord(c.getGenericType());
            if (nested != null) {
                Map<String, Object> s = resolve(spec, map(property));
                if (s.get("items") != null) {
                    s = resolve(spec, map(s.get("items")));
                }
                missing.addAll(check(nested, s, path + "." + name, checked));
            }
        }
        return missing;
    }

    /** The record a component holds, itself or as the items of a list; null for other types. */
    private static Class<?> nestedRecord(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return nestedRecord(p.getActualTypeArguments()[0]);
        }
        return type instanceof Class<?> c && c.isRecord() ? c : null;
    }

    /** A schema's properties, those of its allOf parts included. */
    private Map<String, Object> properties(Map<String, Object> spec, Map<String, Object> schema) {
        Map<String, Object> s = resolve(spec, schema);
        Map<String, Object> all = new LinkedHashMap<>();
        if (s.get("properties") != null) {
            all.putAll(map(s.get("properties")));
        }
        if (s.get("allOf") instanceof List<?> parts) {
            parts.forEach(p -> all.putAll(properties(spec, map(p))));
        }
        return all;
    }

    /** The schema a $ref names (local references only), remembering its spec for the nested ones. */
    private Map<String, Object> resolve(Map<String, Object> spec, Map<String, Object> schema) {
        Map<String, Object> s = schema;
        while (s.get("$ref") instanceof String ref) {
            assertThat(ref).startsWith("#");
            s = schema(spec, ref.substring(1));
        }
        Map<String, Object> withSpec = new LinkedHashMap<>(s);
        withSpec.put("$spec", spec);
        return withSpec;
    }

    /** The node at a JSON pointer. */
    private Map<String, Object> schema(Map<String, Object> spec, String pointer) {
        Object node = spec;
        for (String token : pointer.substring(1).split("/")) {
            node = map(node).get(token.replace("~1", "/").replace("~0", "~"));
            assertThat(node).as(pointer + " in the contract").isNotNull();
        }
        return resolve(spec, map(node));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
