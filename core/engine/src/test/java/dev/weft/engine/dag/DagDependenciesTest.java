package dev.weft.engine.dag;

import dev.weft.engine.dag.DagDependencies.Edge;
import dev.weft.engine.dag.DagDependencies.Kind;
import dev.weft.engine.dag.DagDependencies.Reference;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DagDependenciesTest {
    private static OperatorRef trigger(String dagId) {
        return OperatorRef.of(DagDependencies.TRIGGER_DAG_RUN, Map.of("trigger_dag_id", dagId));
    }

    private static SensorRef waitFor(Map<String, Object> params) {
        return SensorRef.of(DagDependencies.EXTERNAL_TASK_SENSOR, params);
    }

    @Test
    void aTriggerTaskPointsFromItsDagToTheTriggeredOne() {
        DagBuilder b = Dag.builder("upstream");
        b.task("work", OperatorRef.of("standard.empty", Map.of())).then(b.task("kick", trigger("downstream")));

        assertThat(DagDependencies.of(b.build())).containsExactly(new Edge(Kind.TRIGGERS, "upstream", "kick",
                new Reference("downstream", false), List.of()));
        Edge edge = DagDependencies.of(b.build()).get(0);
        assertThat(edge.upstreamDag()).isEqualTo("upstream");
        assertThat(edge.downstreamDag()).isEqualTo("downstream");
    }

    @Test
    void aSensorPointsFromTheDagItWaitsForToItsOwnWithTheTasksItWaitsFor() {
        DagBuilder b = Dag.builder("waiter");
        b.sensor("one", waitFor(Map.of("external_dag_id", "source", "external_task_id", "load")));
        b.sensor("many", waitFor(Map.of("external_dag_id", "source", "external_task_ids", List.of("a", "b"))));
        b.sensor("whole_run", waitFor(Map.of("external_dag_id", "source")));

        List<Edge> edges = DagDependencies.of(b.build());

        assertThat(edges).extracting(Edge::taskId).containsExactly("many", "one", "whole_run");
        assertThat(edges).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.WAITS_FOR);
            assertThat(e.upstreamDag()).isEqualTo("source");
            assertThat(e.downstreamDag()).isEqualTo("waiter");
        });
        assertThat(edges.get(0).otherTasks()).extracting(Reference::display).containsExactly("a", "b");
        assertThat(edges.get(1).otherTasks()).extracting(Reference::display).containsExactly("load");
        assertThat(edges.get(2).otherTasks()).isEmpty();
    }

    @Test
    void aTemplatedDagIdIsKeptAsTemplatedAndHasNoEndToDrawTo() {
        DagBuilder b = Dag.builder("dynamic");
        b.task("kick", trigger("{{ params.target }}"));
        b.sensor("wait", waitFor(Map.of("external_dag_id", "{% if true %}x{% endif %}",
                "external_task_id", "{{ params.task }}")));

        List<Edge> edges = DagDependencies.of(b.build());

        assertThat(edges).extracting(e -> e.otherDag().display()).containsExactly("templated", "templated");
        assertThat(edges.get(0).otherDag().text()).isEqualTo("{{ params.target }}");
        assertThat(edges.get(0).downstreamDag()).isNull();
        assertThat(edges.get(0).upstreamDag()).isEqualTo("dynamic");
        assertThat(edges.get(1).upstreamDag()).isNull();
        assertThat(edges.get(1).otherTasks()).extracting(Reference::templated).containsExactly(true);
    }

    @Test
    void otherTasksAndTypesMakeNoEdge() {
        DagBuilder b = Dag.builder("plain");
        b.task("shell", OperatorRef.of("standard.shell", Map.of("bash_command", "echo trigger_dag_id")));
        b.sensor("file", SensorRef.of("standard.file_sensor", Map.of("filepath", "/tmp/x")));
        DagBuilder other = Dag.builder("other");
        other.task("kick", trigger("plain"));

        assertThat(DagDependencies.of(b.build())).isEmpty();
        assertThat(DagDependencies.of(List.of(b.build(), other.build()))).extracting(Edge::dagId)
                .containsExactly("other");
    }

    @Test
    void anOutletLinksItsTaskToTheDagsScheduledOnTheDataset() {
        DagBuilder producer = Dag.builder("producer");
        producer.task("publish", OperatorRef.of("standard.empty", Map.of())).outlets("s3://x", "s3://unused");
        DagBuilder consumer = Dag.builder("consumer").scheduleOnDatasets("s3://x");
        consumer.task("use", OperatorRef.of("standard.empty", Map.of()));

        assertThat(DagDependencies.of(producer.build())).isEmpty();
        assertThat(DagDependencies.of(List.of(producer.build(), consumer.build()))).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.DATASET);
            assertThat(e.upstreamDag()).isEqualTo("producer");
            assertThat(e.taskId()).isEqualTo("publish");
            assertThat(e.downstreamDag()).isEqualTo("consumer");
            assertThat(e.dataset()).isEqualTo("s3://x");
        });
    }
}
