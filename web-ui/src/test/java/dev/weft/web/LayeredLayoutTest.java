package dev.weft.web;

import dev.weft.web.LayeredLayout.Link;
import dev.weft.web.LayeredLayout.Placed;
import dev.weft.web.LayeredLayout.Result;
import dev.weft.web.LayeredLayout.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LayeredLayoutTest {
    private static final Size SIZE = new Size(100, 30, 40, 10);

    @Test
    void eachNodeSitsOneLayerRightOfItsLongestPathFromASource() {
        Result r = LayeredLayout.layout(List.of("c", "b", "a", "lonely"),
                List.of(new Link("a", "b"), new Link("b", "c"), new Link("a", "c")), SIZE);

        assertThat(r.nodes()).extracting(Placed::id).containsExactly("c", "b", "a", "lonely");
        assertThat(r.node("a").layer()).isZero();
        assertThat(r.node("lonely").layer()).isZero();
        assertThat(r.node("b").layer()).isEqualTo(1);
        assertThat(r.node("c").layer()).as("a→c is shorter than a→b→c").isEqualTo(2);
        assertThat(r.node("c").x()).isEqualTo(20 + 2 * 140);
        assertThat(r.width()).isEqualTo(3 * 140);
        assertThat(r.height()).isEqualTo(2 * 40);
        assertThat(r.node("b").y()).as("centred against the taller first column").isEqualTo(5 + 20);
        assertThat(r.edges()).extracting(LayeredLayout.Route::path).first()
                .isEqualTo("M120,20 C140,20 140,40 160,40");
    }

    @Test
    void theBarycentrePassUncrossesEdges() {
        // Given in an order that crosses both pairs: a→y, b→x and x→q, y→p.
        List<String> nodes = List.of("a", "b", "x", "y", "p", "q");
        List<Link> links = List.of(new Link("a", "y"), new Link("b", "x"), new Link("x", "q"), new Link("y", "p"));
        Map<String, Integer> layer = Map.of("a", 0, "b", 0, "x", 1, "y", 1, "p", 2, "q", 2);
        Map<String, Integer> given = Map.of("a", 0, "b", 1, "x", 0, "y", 1, "p", 0, "q", 1);
        assertThat(LayeredLayout.crossings(links, layer, given)).isEqualTo(2);

        Result r = LayeredLayout.layout(nodes, links, SIZE);

        Map<String, Integer> order = new HashMap<>();
        r.nodes().forEach(p -> order.put(p.id(), p.order()));
        assertThat(LayeredLayout.crossings(links, layer, order)).isZero();
        assertThat(r.node("y").y()).isLessThan(r.node("x").y());
    }

    @Test
    void aCycleIsBrokenAndEveryEdgeStillDrawn() {
        Result r = LayeredLayout.layout(List.of("a", "b", "c"),
                List.of(new Link("a", "b"), new Link("b", "c"), new Link("c", "a"), new Link("c", "c")), SIZE);

        assertThat(r.nodes()).extracting(Placed::layer).containsExactly(0, 1, 2);
        assertThat(r.edges()).hasSize(4);
    }

    @Test
    void linksToUnknownNodesAreLeftOutAndAnEmptyGraphHasNoSize() {
        Result r = LayeredLayout.layout(List.of("a"), List.of(new Link("a", "ghost")), SIZE);
        assertThat(r.edges()).isEmpty();
        assertThat(r.node("a").layer()).isZero();

        Result empty = LayeredLayout.layout(List.of(), List.of(), SIZE);
        assertThat(empty.width()).isZero();
        assertThat(empty.height()).isZero();
    }
}
