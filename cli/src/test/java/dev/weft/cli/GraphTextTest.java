package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphTextTest {
    /** A diamond plus a lone task, given in an unsorted order. */
    private static Map<String, List<String>> diamond() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("load", List.of());
        g.put("transform_b", List.of("load"));
        g.put("extract", List.of("transform_b", "transform_a"));
        g.put("transform_a", List.of("load"));
        g.put("audit", List.of());
        return g;
    }

    @Test
    void layersByLongestPathWithSortedIdsAndEdges() {
        assertThat(GraphText.layers("etl", diamond())).isEqualTo("""
                etl: 5 tasks, 4 dependencies
                layer 0
                  audit
                  extract -> transform_a, transform_b
                layer 1
                  transform_a -> load
                  transform_b -> load
                layer 2
                  load
                """);
    }

    @Test
    void aTaskIsBelowItsDeepestUpstreamTask() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("a", List.of("b", "c"));
        g.put("b", List.of("c"));
        g.put("c", List.of());
        assertThat(GraphText.layers("d", g)).contains("layer 2\n  c\n").doesNotContain("layer 1\n  c");
    }

    @Test
    void theSameGraphInAnotherOrderGivesTheSameText() {
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        List.of("audit", "transform_a", "extract", "transform_b", "load")
                .forEach(id -> reversed.put(id, diamond().get(id).reversed()));
        assertThat(GraphText.layers("etl", reversed)).isEqualTo(GraphText.layers("etl", diamond()));
        assertThat(GraphText.tree(reversed)).isEqualTo(GraphText.tree(diamond()));
    }

    @Test
    void aCycleIsNamed() {
        Map<String, List<String>> g = Map.of("a", List.of("b"), "b", List.of("a"), "c", List.of("a"));
        assertThatThrownBy(() -> GraphText.layers("x", g)).hasMessageContaining("cycle through a, b");
    }

    @Test
    void treeShowsRootsThenDownstreamAndASharedTaskOnce() {
        assertThat(GraphText.tree(diamond())).isEqualTo("""
                audit
                extract
                ├── transform_a
                │   └── load
                └── transform_b
                    └── load
                """);
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("a", List.of("b", "c"));
        g.put("b", List.of("d"));
        g.put("c", List.of("d"));
        g.put("d", List.of("e"));
        assertThat(GraphText.tree(g)).isEqualTo("""
                a
                ├── b
                │   └── d
                │       └── e
                └── c
                    └── d (see above)
                """);
    }
}
