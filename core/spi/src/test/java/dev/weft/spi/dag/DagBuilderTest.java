package dev.weft.spi.dag;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DagBuilderTest {
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final OperatorRef NOOP = OperatorRef.of("test.noop", Map.of());

    @Test
    void buildsTasksWithDependenciesAndAirflowDefaults() {
        DagBuilder dag = Dag.builder("d").schedule("@daily").startDate(START);
        TaskBuilder a = dag.task("a", NOOP);
        TaskBuilder b = dag.task("b", NOOP);
        TaskBuilder c = dag.task("c", NOOP);
        TaskBuilder d = dag.task("d", NOOP);
        a.then(b, c);           // fan-out
        d.after(b, c);          // fan-in
        DagSpec spec = dag.build();

        assertThat(spec.catchup()).isTrue();
        assertThat(spec.maxActiveRuns()).isEqualTo(16);
        assertThat(spec.maxActiveTasks()).isEqualTo(16);
        assertThat(spec.timezone()).isEqualTo("UTC");
        assertThat(spec.task("d").orElseThrow().upstream()).containsExactly("b", "c");
        assertThat(spec.task("b").orElseThrow().upstream()).containsExactly("a");
        TaskSpec t = spec.task("a").orElseThrow();
        assertThat(t.triggerRule()).isEqualTo(TriggerRule.ALL_SUCCESS);
        assertThat(t.pool()).isEqualTo("default_pool");
        assertThat(t.retries()).isZero();
        assertThat(t.retryDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.isSensor()).isFalse();
        assertThat(spec.downstreamOf("a")).containsExactly("b", "c");
    }

    @Test
    void chainLinksEachTaskToTheNext() {
        DagBuilder dag = Dag.builder("d");
        TaskBuilder a = dag.task("a", NOOP);
        TaskBuilder b = dag.task("b", NOOP);
        TaskBuilder c = dag.task("c", NOOP);
        Dag.chain(a, b, c);
        DagSpec spec = dag.build();
        assertThat(spec.task("c").orElseThrow().upstream()).containsExactly("b");
        assertThat(spec.task("b").orElseThrow().upstream()).containsExactly("a");
        assertThat(spec.task("a").orElseThrow().upstream()).isEmpty();
    }

    @Test
    void defaultArgsApplyUnlessTheTaskOverrides() {
        DagBuilder dag = Dag.builder("d").defaultArgs(x -> x.retries(3).pool("etl").triggerRule(TriggerRule.ALL_DONE));
        dag.task("a", NOOP);
        dag.task("b", NOOP).retries(1).pool("other");
        DagSpec spec = dag.build();
        assertThat(spec.task("a").orElseThrow().retries()).isEqualTo(3);
        assertThat(spec.task("a").orElseThrow().pool()).isEqualTo("etl");
        assertThat(spec.task("a").orElseThrow().triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
        assertThat(spec.task("b").orElseThrow().retries()).isEqualTo(1);
        assertThat(spec.task("b").orElseThrow().pool()).isEqualTo("other");
    }

    @Test
    void sensorSettingsDefaultToAirflows() {
        DagBuilder dag = Dag.builder("d");
        dag.sensor("wait", SensorRef.of("test.sensor", Map.of()));
        SensorSettings s = dag.build().task("wait").orElseThrow().sensor();
        assertThat(s).isEqualTo(SensorSettings.DEFAULTS);
        assertThat(s.timeout()).isEqualTo(Duration.ofDays(7));
        assertThat(s.pokeInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void rejectsDuplicateTaskIds() {
        DagBuilder dag = Dag.builder("d");
        dag.task("a", NOOP);
        dag.task("a", NOOP);
        assertThatThrownBy(dag::build).isInstanceOf(DagDefinitionException.class)
                .hasMessageContaining("duplicate task id 'a'");
    }

    @Test
    void rejectsACycleAndPrintsIt() {
        DagBuilder dag = Dag.builder("d");
        TaskBuilder a = dag.task("a", NOOP);
        TaskBuilder b = dag.task("b", NOOP);
        TaskBuilder c = dag.task("c", NOOP);
        dag.task("x", NOOP).then(a);
        a.then(b).then(c).then(a);
        assertThatThrownBy(dag::build).isInstanceOf(DagDefinitionException.class)
                .hasMessageContaining("cycle: a -> b -> c -> a");
    }

    @Test
    void rejectsInvalidIds() {
        DagBuilder dag = Dag.builder("my dag");
        dag.task("bad/id", NOOP);
        assertThatThrownBy(dag::build).isInstanceOf(DagDefinitionException.class)
                .hasMessageContaining("invalid DAG id 'my dag'")
                .hasMessageContaining("invalid task id 'bad/id'");
    }

    @Test
    void rejectsABadCronAndSaysWhatIsWrong() {
        assertThatThrownBy(() -> Dag.builder("d").schedule("0 16 * *").startDate(START).build())
                .hasMessageContaining("has 4 fields; expected 5");
        assertThatThrownBy(() -> Dag.builder("d").schedule("0 25 * * *").startDate(START).build())
                .hasMessageContaining("cron expression '0 25 * * *' is invalid");
        assertThatThrownBy(() -> Dag.builder("d").schedule("@fortnightly").startDate(START).build())
                .hasMessageContaining("unknown schedule preset '@fortnightly'");
    }

    @Test
    void rejectsAScheduledDagWithoutStartDate() {
        assertThatThrownBy(() -> Dag.builder("d").schedule("@daily").build())
                .hasMessageContaining("a scheduled DAG needs a start date");
        assertThat(Dag.builder("d").schedule((String) null).build().schedule()).isNull();
    }

    @Test
    void acceptsPresetsIntervalsAndOnce() {
        for (String s : new String[]{"@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "0 16 * * *"}) {
            assertThat(Dag.builder("d").schedule(s).startDate(START).build().schedule()).isEqualTo(s);
        }
        assertThat(Dag.builder("d").schedule(Duration.ofHours(5)).startDate(START).build().schedule()).isEqualTo("PT5H");
    }

    @Test
    void rejectsNegativeSensorSettingsNamingTheTask() {
        DagBuilder dag = Dag.builder("d");
        dag.sensor("wait", SensorRef.of("test.sensor", Map.of())).pokeInterval(Duration.ofSeconds(-1));
        assertThatThrownBy(dag::build).hasMessageContaining("task 'wait': poke_interval must not be negative");
    }

    @Test
    void rejectsDependenciesAcrossDags() {
        DagBuilder one = Dag.builder("one");
        DagBuilder two = Dag.builder("two");
        one.task("a", NOOP).then(two.task("b", NOOP));
        assertThatThrownBy(two::build).hasMessageContaining("depends on 'a' of DAG 'one'");
    }

    @Test
    void findsCyclesInLongChainsWithoutOverflowingTheStack() {
        DagBuilder dag = Dag.builder("long");
        TaskBuilder prev = dag.task("t0", NOOP);
        for (int i = 1; i < 20_000; i++) {
            prev = prev.then(dag.task("t" + i, NOOP));
        }
        assertThat(dag.build().tasks()).hasSize(20_000);
    }

    @Test
    void paramsMustBeJsonValues() {
        assertThatThrownBy(() -> OperatorRef.of("t", Map.of("x", new Object())))
                .hasMessageContaining("param 'x' has a value of type java.lang.Object");
        assertThat(OperatorRef.of("t", Map.of("n", 1)).params().get("n")).isEqualTo(1L);
    }
}
