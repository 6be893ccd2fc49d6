package dev.weft.examples;

import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.dag.DagDependencies.Edge;
import dev.weft.engine.dag.DagDependencies.Kind;
import dev.weft.engine.dag.DagFileParser;
import dev.weft.plugins.standard.ExternalTaskSensorFactory;
import dev.weft.plugins.standard.TriggerDagRunFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The chains between the example DAGs, as the dependencies page and the graph view draw them. */
class ExampleDependenciesTest {
    @TempDir
    Path dataRoot;

    @Test
    void theEngineKnowsTheStandardPluginsTypeIds() {
        assertThat(DagDependencies.TRIGGER_DAG_RUN).isEqualTo(TriggerDagRunFactory.TYPE);
        assertThat(DagDependencies.EXTERNAL_TASK_SENSOR).isEqualTo(ExternalTaskSensorFactory.TYPE);
    }

    @Test
    void theJavaExamplesChainListing604AndFigure620() {
        List<Edge> edges = DagDependencies.of(SupermarketDags.all(dataRoot));

        assertThat(edges).extracting(Edge::upstreamDag, Edge::downstreamDag, Edge::kind, Edge::taskId).containsOnly(
                tuple("listing_6_04_dag01", "listing_6_04_dag02", Kind.TRIGGERS,
                        "trigger_create_metrics_dag_supermarket_1"),
                tuple("listing_6_04_dag01", "listing_6_04_dag02", Kind.TRIGGERS,
                        "trigger_create_metrics_dag_supermarket_2"),
                tuple("listing_6_04_dag01", "listing_6_04_dag02", Kind.TRIGGERS,
                        "trigger_create_metrics_dag_supermarket_3"),
                tuple("listing_6_04_dag01", "listing_6_04_dag02", Kind.TRIGGERS,
                        "trigger_create_metrics_dag_supermarket_4"),
                tuple("figure_6_20_dag_1", "figure_6_20_dag_2", Kind.WAITS_FOR, "wait_for_process_supermarket"),
                tuple("execution_date_fn_dag_1", "execution_date_fn_dag_2", Kind.WAITS_FOR,
                        "wait_for_process_supermarket"));
        assertThat(edges).filteredOn(e -> e.dagId().equals("figure_6_20_dag_2")).singleElement()
                .satisfies(e -> assertThat(e.otherTasks()).extracting(DagDependencies.Reference::display)
                        .containsExactly("process_supermarket"));
    }

    @Test
    void theDagFilesChainTheirYamlTwins() throws IOException {
        DagFileParser parser = new DagFileParser(Map.of("WEFT_DATA_DIR", dataRoot.toString()));
        for (String file : List.of("listing_6_04_dag01.yaml", "figure_6_20_dag_2.yaml")) {
            var result = parser.parse(resource("dev/weft/examples/dag-files/" + file));
            assertThat(result.problems()).isEmpty();
            List<Edge> edges = DagDependencies.of(result.dags().get(0).spec());
            assertThat(edges).as(file).isNotEmpty().allSatisfy(e -> assertThat(e.otherDag().templated()).isFalse());
            assertThat(edges.get(0).upstreamDag() + " → " + edges.get(0).downstreamDag()).isEqualTo(
                    file.startsWith("listing") ? "listing_6_04_dag01_yaml → listing_6_04_dag02_yaml"
                            : "figure_6_20_dag_1_yaml → figure_6_20_dag_2_yaml");
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ExampleDependenciesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
