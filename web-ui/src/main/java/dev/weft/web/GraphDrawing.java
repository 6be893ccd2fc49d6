package dev.weft.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph as the {@code graph-svg} partial draws it: boxes placed by {@link LayeredLayout}, each an HTML link inside
 * the SVG (so it is focusable and reuses the state classes), and arrows between them.
 */
public record GraphDrawing(String title, String description, int width, int height, List<Node> nodes,
                           List<Edge> edges) {
    public static final LayeredLayout.Size SIZE = new LayeredLayout.Size(210, 58, 64, 14);

    /**
     * A box: {@code key} is the task or DAG id it stands for ({@code data-node}); {@code href} may be null (no link);
     * {@code style} null draws it without state.
     */
    public record Node(String domId, String key, String cssClass, String label, String detail, StateStyle style,
                       String href, String hover, int x, int y, int w, int h) {
    }

    /** An arrow; {@code kind} is {@code task}, {@code triggers} or {@code waits-for} (dashed). */
    public record Edge(String from, String to, String kind, String path, String hover) {
    }

    /** What to draw for a node before it is placed. */
    public record Box(String key, String domId, String cssClass, String label, String detail, StateStyle style,
                      String href, String hover) {
    }

    /** A link before routing. */
    public record Arrow(String from, String to, String kind, String hover) {
    }

    public static GraphDrawing of(String title, String description, List<Box> boxes, List<Arrow> arrows) {
        List<LayeredLayout.Link> links = arrows.stream().map(a -> new LayeredLayout.Link(a.from(), a.to())).toList();
        LayeredLayout.Result placed = LayeredLayout.layout(boxes.stream().map(Box::key).toList(), links, SIZE);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            LayeredLayout.Placed p = placed.nodes().get(i);
            nodes.add(new Node(b.domId(), b.key(), b.cssClass(), b.label(), b.detail(), b.style(), b.href(), b.hover(),
                    p.x(), p.y(), SIZE.nodeWidth(), SIZE.nodeHeight()));
        }
        Map<String, Arrow> byEnds = new HashMap<>();
        arrows.forEach(a -> byEnds.putIfAbsent(a.from() + "\n" + a.to(), a));
        List<Edge> edges = placed.edges().stream().map(r -> {
            Arrow a = byEnds.get(r.from() + "\n" + r.to());
            return new Edge(r.from(), r.to(), a.kind(), r.path(), a.hover());
        }).toList();
        return new GraphDrawing(title, description, placed.width(), placed.height(), nodes, edges);
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }
}
