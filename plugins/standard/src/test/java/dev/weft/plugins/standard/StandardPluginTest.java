package dev.weft.plugins.standard;

import dev.weft.plugins.standard.fixtures.Checks;
import dev.weft.plugins.standard.fixtures.Supermarkets;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskTypeFactory;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.TaskSpec;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.PluginHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StandardPluginTest {
    private final TestTaskContext ctx = TestTaskContext.create();

    @Test
    void isFoundThroughServiceLoaderWithEveryType() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).hasSize(1);
        Plugin plugin = plugins.get(0);
        assertThat(plugin).isInstanceOf(StandardPlugin.class);
        assertThat(plugin.name()).isEqualTo("standard");
        assertThat(plugin.operators()).extracting(TaskTypeFactory::typeId)
                .containsExactly("standard.empty", "standard.callable", "standard.shell", "standard.branch",
                        "standard.short_circuit", "standard.latest_only");
        assertThat(plugin.sensors()).extracting(TaskTypeFactory::typeId).containsExactly("standard.file_sensor",
                "standard.callable_sensor", "standard.external_task_sensor", "standard.trigger_dag_run",
                "standard.shell_sensor");
        assertThat(plugin.notifiers()).extracting(TaskTypeFactory::typeId).containsExactly("standard.email");
    }

    @Test
    void emptyDoesNothing() throws Exception {
        assertThat(OperatorHarness.execute(new EmptyOperatorFactory(), Map.of(), ctx)).isEqualTo(OperatorResult.success());
    }

    @Test
    void theDslWritesAirflowsParamNames() {
        assertThat(Standard.empty().params()).isEmpty();
        assertThat(Standard.callable(Checks.class, "greet").kwargs("name", "x").kwargs(Map.of("times", 2)).params())
                .isEqualTo(Map.of("callable", Checks.class.getName() + "::greet", "op_kwargs", Map.of("name", "x", "times", 2L)));
        assertThat(Standard.callable("com.acme.X::y").args("a", 1).params())
                .isEqualTo(Map.of("callable", "com.acme.X::y", "op_args", List.of("a", 1L)));
        assertThat(Standard.shell("echo hi").env("A", "1").env(Map.of("B", "2")).appendEnv(true).cwd("/tmp")
                .skipOnExitCode(3, 4).params())
                .isEqualTo(Map.of("command", "echo hi", "env", Map.of("A", "1", "B", "2"), "append_env", true,
                        "cwd", "/tmp", "skip_on_exit_code", List.of(3L, 4L)));
        assertThat(Standard.fileSensor("/data/*.csv").recursive(true).params())
                .isEqualTo(Map.of("filepath", "/data/*.csv", "recursive", true));
        assertThat(Standard.externalTask("dag1").taskId("a").taskIds("b", "c").executionDelta(Duration.ofHours(2))
                .allowedStates("success").failedStates("failed").skippedStates("skipped").checkExistence(true).params())
                .isEqualTo(Map.of("external_dag_id", "dag1", "external_task_ids", List.of("b", "c"),
                        "execution_delta", "PT2H", "allowed_states", List.of("success"),
                        "failed_states", List.of("failed"), "skipped_states", List.of("skipped"), "check_existence", true));
        assertThat(Standard.triggerDagRun("dag2").conf(Map.of("supermarket_id", 1)).runId("r").resetDagRun(true)
                .waitForCompletion(true).pokeInterval(Duration.ofSeconds(30)).skipWhenAlreadyExists(true)
                .logicalDate(Instant.parse("2026-01-01T00:00:00Z")).params())
                .isEqualTo(Map.of("trigger_dag_id", "dag2", "conf", Map.of("supermarket_id", 1L), "trigger_run_id", "r",
                        "reset_dag_run", true, "wait_for_completion", true, "poke_interval", "PT30S",
                        "skip_when_already_exists", true, "logical_date", "2026-01-01T00:00:00Z"));
    }

    @Test
    void buildersAreImmutable() {
        Standard.Shell base = Standard.shell("echo hi");
        Standard.Shell withEnv = base.env("A", "1");
        assertThat(base.params()).isEqualTo(Map.of("command", "echo hi"));
        assertThat(withEnv).isNotSameAs(base);
        assertThat(base.env("A", "1")).isEqualTo(withEnv);
    }

    @Test
    void everyDslBuilderBindsToItsFactorysParams() {
        Map<String, TaskTypeFactory<?>> factories = Stream.concat(
                        new StandardPlugin().operators().stream().map(f -> (TaskTypeFactory<?>) f),
                        new StandardPlugin().sensors().stream().map(f -> (TaskTypeFactory<?>) f))
                .collect(Collectors.toMap(TaskTypeFactory::typeId, f -> f));
        List<dev.weft.plugins.standard.Standard.Builder<?>> refs = new ArrayList<>(List.of(
                Standard.callable(Checks.class, "greet").kwargs("name", "x").kwargs("times", 1),
                Standard.branch(Checks.class, "chooseBranch").kwargs("which", "a"),
                Standard.shortCircuit("dev.weft.plugins.standard.fixtures.Checks::greet").args("x", 1)
                        .ignoreDownstreamTriggerRules(false),
                Standard.shell("true").env("A", "1").skipOnExitCode(3),
                Standard.fileSensor("/data").recursive(true).basePath("/"),
                Standard.callableSensor(Supermarkets.class, "waitForSupermarket")
                        .kwargs("data_root", "/data").kwargs("supermarket_id_", "supermarket1"),
                Standard.externalTask("dag1").taskId("a").executionDelta(Duration.ofHours(2)).failedStates("failed"),
                Standard.externalTask("dag1").executionDateFn(Checks.class, "lastThreeDays"),
                Standard.triggerDagRun("dag2").conf(Map.of("k", "v")).waitForCompletion(true)
                        .pokeInterval(Duration.ofSeconds(5)).allowedStates("success").failedStates("failed")));
        for (var ref : refs) {
            Object bound = PluginHarness.bind(factories.get(ref.type()), ref.params(), ctx);
            assertThat(bound).as(ref.toString()).isNotNull();
        }
        assertThat(PluginHarness.bind(factories.get("standard.empty"), Standard.empty().params(), ctx)).isNotNull();
        assertThat(PluginHarness.bind(factories.get("standard.latest_only"), Standard.latestOnly().params(), ctx))
                .isNotNull();
    }

    @Test
    void theUsersListing604BuildsWithTheDsl() {
        DagBuilder dag = Dag.builder("listing_6_04_dag01").schedule("0 16 * * *").startDate(Dag.daysAgo(3));
        for (int id = 1; id <= 4; id++) {
            var wait = dag.sensor("wait_for_supermarket_" + id,
                            Standard.callableSensor(Supermarkets.class, "waitForSupermarket")
                                    .kwargs("data_root", "/data").kwargs("supermarket_id_", "supermarket" + id))
                    .mode(SensorMode.RESCHEDULE);
            var copy = dag.task("copy_to_raw_supermarket_" + id, Standard.empty());
            var process = dag.task("process_supermarket_" + id, Standard.empty());
            var trigger = dag.task("trigger_create_metrics_dag_supermarket_" + id,
                    Standard.triggerDagRun("listing_6_04_dag02").conf(Map.of("supermarket_id", id)));
            wait.then(copy).then(process).then(trigger);
        }
        DagSpec spec = dag.build();
        TaskSpec trigger = spec.task("trigger_create_metrics_dag_supermarket_2").orElseThrow();
        assertThat(trigger.type()).isEqualTo("standard.trigger_dag_run");
        assertThat(trigger.params()).isEqualTo(Map.of("trigger_dag_id", "listing_6_04_dag02", "conf", Map.of("supermarket_id", 2L)));
        assertThat(spec.task("wait_for_supermarket_1").orElseThrow().isSensor()).isTrue();

        // The same trigger also works as an explicit sensor.
        DagBuilder other = Dag.builder("d");
        other.sensor("trigger", Standard.triggerDagRun("x").waitForCompletion(true)).pokeInterval(Duration.ofSeconds(10));
        assertThat(other.build().task("trigger").orElseThrow().isSensor()).isTrue();
    }

    @Test
    void factoriesAreOperatorsOrSensorsAsDocumented() {
        assertThat(new StandardPlugin().operators()).allMatch(f -> f instanceof OperatorFactory<?>);
        assertThat(new StandardPlugin().sensors()).allMatch(f -> f instanceof SensorFactory<?>)
                .anyMatch(f -> f instanceof TriggerDagRunFactory);
    }
}
