package dev.weft.examples;

import dev.weft.engine.dag.BundledDagFiles;
import dev.weft.engine.dag.DagFileParser;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.TaskSpec;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every example DAG file gives the same DagSpec as its Java twin, and loads against the real standard plugin. */
class ExampleDagFilesTest {
    private static final String DIRECTORY = "dev/weft/examples/dag-files";
    /**
     * The dataset example has no Java twin: both would be scheduled on the same datasets, and each producer's events
     * would start the other's consumers too. docs/datasets.md shows it in Java; {@link DatasetExampleTest} runs it.
     */
    private static final Set<String> WITHOUT_TWIN = Set.of("dataset_supermarket_1.yaml", "dataset_create_metrics.yaml");
    @TempDir
    Path dataRoot;
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private Map<String, DagSpec> javaTwins() {
        Map<String, DagSpec> twins = new LinkedHashMap<>();
        twins.put("listing_6_01.yaml", SupermarketDags.listing601(dataRoot));
        twins.put("listing_6_02.yaml", SupermarketDags.listing602(dataRoot));
        twins.put("listing_6_03.yaml", SupermarketDags.listing603(dataRoot));
        twins.put("listing_6_03_poke.yaml", SupermarketDags.listing603Poke(dataRoot));
        twins.put("listing_6_04_dag01.yaml", SupermarketDags.listing604Dag01(dataRoot));
        twins.put("listing_6_04_dag02.yaml", SupermarketDags.listing604Dag02());
        twins.put("figure_6_20_dag_1.yaml", SupermarketDags.figure620Dag1());
        twins.put("figure_6_20_dag_2.yaml", SupermarketDags.figure620Dag2(Duration.ofHours(2)));
        twins.put("execution_date_fn_dag_1.yaml", SupermarketDags.executionDateFnDag1());
        twins.put("execution_date_fn_dag_2.yaml", SupermarketDags.executionDateFnDag2());
        twins.put("listing_6_08.yaml", SupermarketDags.listing608());
        return twins;
    }

    @Test
    void everyDagFileEqualsItsJavaTwinFieldByField() throws IOException {
        Map<String, DagSpec> twins = javaTwins();
        assertThat(twins).hasSameSizeAs(SupermarketDags.all(dataRoot));
        assertThat(resource(DIRECTORY + "/index").lines().filter(l -> !l.startsWith("#")))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(twins.keySet().stream(),
                        WITHOUT_TWIN.stream()).toList());
        Set<String> javaIds = Set.copyOf(SupermarketDags.all(dataRoot).stream().map(DagSpec::dagId).toList());
        DagFileParser parser = new DagFileParser(Map.of("WEFT_DATA_DIR", dataRoot.toString()));
        for (var twin : twins.entrySet()) {
            DagFileParser.Result result = parser.parse(resource(DIRECTORY + "/" + twin.getKey()));
            assertThat(result.problems()).as(twin.getKey()).isEmpty();
            DagSpec fromFile = result.dags().get(0).spec();
            DagSpec expected = renamed(twin.getValue(), javaIds, fromFile);
            assertThat(fromFile).as(twin.getKey()).usingRecursiveComparison().isEqualTo(expected);
            assertThat(fromFile).as(twin.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void theBundledDagFilesRegisterWithoutImportErrors() {
        engine = new EngineHarness(Instant.now());
        List<String> registered = BundledDagFiles.register(engine.registry, getClass().getClassLoader(), DIRECTORY,
                Map.of("WEFT_DATA_DIR", dataRoot.toString()), "examples");
        assertThat(engine.registry.importErrors()).isEmpty();
        assertThat(registered).hasSize(13).allSatisfy(id -> assertThat(id).endsWith("_yaml"));
        assertThat(engine.db.dags().find("listing_6_02_yaml").orElseThrow().fileloc())
                .isEqualTo("examples/listing_6_02.yaml");
    }

    /**
     * The Java twin with the DAG files' ids: {@code <id>_yaml}, also where a task names another example DAG. Where the
     * twin calls Java ({@code standard.callable*}, {@code execution_date_fn}) and the file says the same with a command
     * or a template (so it works when copied into a DAGs folder, which cannot see the bundle's classes), the file's
     * type and params are taken; {@link ExternalTaskSensorDagsTest} shows both wait for the same dates.
     */
    private static DagSpec renamed(DagSpec spec, Set<String> javaIds, DagSpec fromFile) {
        Map<String, String> withoutJava = Map.of("standard.callable", "standard.shell",
                "standard.callable_sensor", "standard.shell_sensor");
        List<TaskSpec> tasks = spec.tasks().stream().map(t -> {
            Map<String, Object> params = new LinkedHashMap<>(t.params());
            params.replaceAll((k, v) -> v instanceof String s && javaIds.contains(s) ? s + "_yaml" : v);
            String type = t.type();
            TaskSpec file = fromFile.task(t.taskId()).orElse(null);
            boolean sameWithoutJava = file != null && (file.type().equals(withoutJava.get(type))
                    || params.containsKey("execution_date_fn") && file.params().containsKey("execution_date"));
            if (sameWithoutJava) {
                type = file.type();
                params = new LinkedHashMap<>(file.params());
            }
            return new TaskSpec(t.taskId(), type, params, t.upstream(), t.triggerRule(), t.retries(),
                    t.retryDelay(), t.retryExponentialBackoff(), t.maxRetryDelay(), t.executionTimeout(), t.pool(),
                    t.poolSlots(), t.priorityWeight(), t.sensor(), t.callbacks(), t.outlets());
        }).toList();
        return new DagSpec(spec.dagId() + "_yaml", spec.description(), spec.schedule(), spec.timezone(),
                spec.startDate(), spec.endDate(), spec.catchup(), spec.maxActiveRuns(), spec.maxActiveTasks(),
                spec.dagrunTimeout(), spec.pausedOnCreation(), spec.params(), spec.tags(), tasks, spec.callbacks(),
                spec.datasets(), spec.datasetFeeds());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ExampleDagFilesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
