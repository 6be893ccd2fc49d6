package dev.weft.examples;

import dev.weft.engine.plugin.TaskType;
import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.TaskSpec;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle as Weft loads it: through ServiceLoader and the DagRegistry, checked against the real standard plugin. */
class ExampleBundleTest {
    private static final List<String> DAG_IDS = List.of("listing_6_01", "listing_6_02", "listing_6_03",
            "listing_6_03_poke", "listing_6_04_dag01", "listing_6_04_dag02", "figure_6_20_dag_1", "figure_6_20_dag_2",
            "execution_date_fn_dag_1", "execution_date_fn_dag_2", "listing_6_08", UmbrellaDags.DAG_ID);
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theStandardPluginIsOnTheTestClassPath() {
        engine = new EngineHarness(Instant.now());
        assertThat(engine.plugins.failures()).isEmpty();
        assertThat(engine.plugins.types()).extracting(TaskType::typeId).contains("standard.empty",
                "standard.callable", "standard.file_sensor", "standard.callable_sensor",
                "standard.external_task_sensor", "standard.trigger_dag_run");
        assertThat(engine.plugins.type("standard.callable_sensor").orElseThrow().pluginName()).isEqualTo("standard");
    }

    @Test
    void everyDagRegistersThroughTheProviderWithoutImportErrors() {
        engine = new EngineHarness(Instant.now());
        List<String> registered = engine.registry.registerProviders(getClass().getClassLoader(), "examples");

        assertThat(engine.registry.importErrors()).isEmpty();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(DAG_IDS);
        assertThat(engine.db.dags().listAll()).extracting(d -> d.dagId()).containsAll(DAG_IDS);
        assertThat(engine.db.dags().find("listing_6_04_dag01").orElseThrow().fileloc())
                .isEqualTo("examples!" + ExampleDagProvider.class.getName());
    }

    @Test
    void theProviderIsListedForServiceLoaderAndUsesTheDataRootOfTheEnvironment() {
        List<DagProvider> providers = ServiceLoader.load(DagProvider.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        assertThat(providers).hasExactlyElementsOfTypes(ExampleDagProvider.class);
        ExampleDagProvider provider = (ExampleDagProvider) providers.get(0);
        assertThat(provider.dataRoot()).isEqualTo(DataRoot.fromEnvironment());

        DagSpec listing601 = provider.dags().get(0);
        assertThat(listing601.task("wait_for_supermarket_1").orElseThrow().params())
                .containsEntry("filepath", provider.dataRoot().resolve("supermarket1/data-*.csv").toString());
    }

    @Test
    void theDagsHaveTheStructureOfTheUsersNotes() {
        Map<String, DagSpec> dags = new LinkedHashMap<>();
        SupermarketDags.all(Path.of("/data")).forEach(d -> dags.put(d.dagId(), d));

        assertThat(upstreams(dags.get("listing_6_01"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "wait_for_supermarket_1", List.of(),
                "copy_to_raw_supermarket_1", List.of("wait_for_supermarket_1"),
                "process_supermarket_1", List.of("copy_to_raw_supermarket_1"),
                "create_metrics", List.of("process_supermarket_1")));
        assertThat(dags.get("listing_6_01").schedule()).isEqualTo("@daily");

        for (String id : List.of("listing_6_02", "listing_6_03", "listing_6_03_poke")) {
            Map<String, List<String>> up = upstreams(dags.get(id));
            assertThat(up).hasSize(13).containsEntry("create_metrics", List.of("process_supermarket_1",
                    "process_supermarket_2", "process_supermarket_3", "process_supermarket_4"));
            for (int n = 1; n <= 4; n++) {
                assertThat(up).containsEntry("wait_for_supermarket_" + n, List.of())
                        .containsEntry("copy_to_raw_supermarket_" + n, List.of("wait_for_supermarket_" + n))
                        .containsEntry("process_supermarket_" + n, List.of("copy_to_raw_supermarket_" + n));
            }
        }
        assertThat(dags.get("listing_6_02").maxActiveTasks()).isEqualTo(16);
        assertThat(dags.get("listing_6_03").maxActiveTasks()).isEqualTo(50);
        assertThat(dags.get("listing_6_03_poke").maxActiveTasks()).isEqualTo(4);
        assertThat(dags.get("listing_6_03_poke").task("wait_for_supermarket_2").orElseThrow().sensor().mode())
                .isEqualTo(dev.weft.spi.dag.SensorMode.POKE);

        DagSpec dag01 = dags.get("listing_6_04_dag01");
        assertThat(dag01.schedule()).isEqualTo("0 16 * * *");
        Map<String, List<String>> up01 = upstreams(dag01);
        assertThat(up01).hasSize(16);
        for (int n = 1; n <= 4; n++) {
            assertThat(up01).containsEntry("trigger_create_metrics_dag_supermarket_" + n,
                    List.of("process_supermarket_" + n));
            TaskSpec trigger = dag01.task("trigger_create_metrics_dag_supermarket_" + n).orElseThrow();
            assertThat(trigger.type()).isEqualTo("standard.trigger_dag_run");
            assertThat(trigger.params()).containsEntry("trigger_dag_id", "listing_6_04_dag02")
                    .containsEntry("conf", Map.of("supermarket_id", (long) n)) // JSON numbers are longs in a spec
                    .containsEntry("reset_dag_run", true);
            assertThat(dag01.task("wait_for_supermarket_" + n).orElseThrow().params()).isEqualTo(Map.of(
                    "command", SupermarketDags.PROMOTION_RULE, "env", Map.of("DIR", "/data/supermarket" + n),
                    "append_env", true));
        }
        assertThat(dags.get("listing_6_04_dag02").schedule()).isNull();
        assertThat(upstreams(dags.get("listing_6_04_dag02"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "compute_differences", List.of(), "update_dashboard", List.of("compute_differences"),
                "notify_new_data", List.of()));

        assertThat(dags.get("figure_6_20_dag_1").schedule()).isEqualTo("0 16 * * *");
        assertThat(upstreams(dags.get("figure_6_20_dag_1"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "copy_to_raw", List.of(), "process_supermarket", List.of("copy_to_raw")));
        DagSpec figure2 = dags.get("figure_6_20_dag_2");
        assertThat(figure2.schedule()).isEqualTo("0 18 * * *");
        assertThat(upstreams(figure2)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "wait_for_process_supermarket", List.of(), "report", List.of("wait_for_process_supermarket")));
        assertThat(figure2.task("wait_for_process_supermarket").orElseThrow().params())
                .containsEntry("external_dag_id", "figure_6_20_dag_1")
                .containsEntry("external_task_id", "process_supermarket")
                .containsEntry("execution_delta", "PT2H");

        assertThat(dags.get("execution_date_fn_dag_1").schedule()).isEqualTo("@daily");
        assertThat(dags.get("execution_date_fn_dag_2").schedule()).isEqualTo("PT5H");

        assertThat(dags.get("listing_6_08").schedule()).isNull();
        assertThat(upstreams(dags.get("listing_6_08"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "copy_to_raw", List.of(), "process", List.of("copy_to_raw")));
    }

    @Test
    void everySensorReschedulesOncePerMinuteAndGivesUpWithinADay() {
        for (DagSpec dag : SupermarketDags.all(Path.of("/data"))) {
            for (TaskSpec task : dag.tasks()) {
                if (task.sensor() != null && !task.type().equals("standard.trigger_dag_run")) {
                    // Except the twin that shows the deadlock poke mode leads to.
                    assertThat(task.sensor().mode()).as(dag.dagId() + "." + task.taskId())
                            .isEqualTo(dag.dagId().equals("listing_6_03_poke") ? SensorMode.POKE
                                    : SensorMode.RESCHEDULE);
                    assertThat(task.sensor().pokeInterval()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(task.sensor().timeout()).isLessThan(Duration.ofDays(1));
                }
            }
        }
    }

    private static Map<String, List<String>> upstreams(DagSpec dag) {
        Map<String, List<String>> up = new LinkedHashMap<>();
        dag.tasks().forEach(t -> up.put(t.taskId(), t.upstream()));
        return up;
    }
}
