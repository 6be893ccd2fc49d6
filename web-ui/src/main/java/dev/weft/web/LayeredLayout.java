package dev.weft.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A left-to-right layered drawing of a directed graph, computed on the server so a page needs no script to show it:
 * each node's layer is the longest path from a source (cycles, possible between DAGs, are broken by ignoring the
 * edges that close them), then a few barycentre sweeps order each layer to reduce crossings, keeping the best order
 * seen. Long edges get no dummy nodes: good enough for DAGs of tens of tasks.
 */
public final class LayeredLayout {
    /** Box size and gaps, in SVG user units. */
    public record Size(int nodeWidth, int nodeHeight, int gapX, int gapY) {
    }

    public record Link(String from, String to) {
    }

    /** A node's place: its layer (column) and order in it (row), and its box's top-left corner. */
    public record Placed(String id, int layer, int order, int x, int y) {
    }

    /** An edge as an SVG path from the right side of {@code from} to the left side of {@code to}. */
    public record Route(String from, String to, String path) {
    }

    /** Nodes in the order given, edges in the order given, and the drawing's size. */
    public record Result(List<Placed> nodes, List<Route> edges, int width, int height) {
        public Placed node(String id) {
            return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
        }
    }

    private static final int SWEEPS = 8;

    private LayeredLayout() {
    }

    public static Result layout(List<String> nodes, List<Link> links, Size size) {
        Map<String, List<String>> successors = new LinkedHashMap<>();
        Map<String, List<String>> predecessors = new HashMap<>();
        nodes.forEach(n -> {
            successors.put(n, new ArrayList<>());
            predecessors.put(n, new ArrayList<>());
        });
        List<Link> kept = forwardLinks(nodes, links);
        for (Link l : kept) {
            successors.get(l.from()).add(l.to());
            predecessors.get(l.to()).add(l.from());
        }
        Map<String, Integer> layer = layers(nodes, predecessors);
        int layerCount = layer.values().stream().mapToInt(i -> i + 1).max().orElse(0);
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            columns.add(new ArrayList<>());
        }
        nodes.forEach(n -> columns.get(layer.get(n)).add(n));

        Map<String, Integer> order = positions(columns);
        Map<String, Integer> best = order;
        long fewest = crossings(kept, layer, order);
        for (int sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int k = 0; k < layerCount; k++) {
                int i = down ? k : layerCount - 1 - k;
                Map<String, List<String>> neighbours = down ? predecessors : successors;
                Map<String, Integer> current = order;
                Map<String, Double> centre = new HashMap<>();
                for (String n : columns.get(i)) {
                    centre.put(n, neighbours.get(n).stream().mapToInt(current::get).average()
                            .orElse(current.get(n)));
                }
                columns.get(i).sort(Comparator.comparingDouble(centre::get));
                order = positions(columns);
            }
            long count = crossings(kept, layer, order);
            if (count < fewest) {
                fewest = count;
                best = order;
            }
        }

        int tallest = columns.stream().mapToInt(List::size).max().orElse(0);
        int rowHeight = size.nodeHeight() + size.gapY();
        List<Placed> placed = new ArrayList<>();
        Map<String, Placed> byId = new HashMap<>();
        for (String n : nodes) {
            int l = layer.get(n);
            // Shorter columns are centred against the tallest one.
            int offset = (tallest - columns.get(l).size()) * rowHeight / 2;
            Placed p = new Placed(n, l, best.get(n), size.gapX() / 2 + l * (size.nodeWidth() + size.gapX()),
                    size.gapY() / 2 + offset + best.get(n) * rowHeight);
            placed.add(p);
            byId.put(n, p);
        }
        List<Route> routes = links.stream().filter(l -> byId.containsKey(l.from()) && byId.containsKey(l.to()))
                .map(l -> route(l, byId.get(l.from()), byId.get(l.to()), size)).toList();
        return new Result(placed, routes, layerCount * (size.nodeWidth() + size.gapX()), tallest * rowHeight);
    }

    /** The links without those that close a cycle (found by a depth-first search in the nodes' order). */
    private static List<Link> forwardLinks(List<String> nodes, List<Link> links) {
        Map<String, List<Link>> out = new HashMap<>();
        for (Link l : links) {
            if (!l.from().equals(l.to())) {
                out.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
            }
        }
        Set<String> known = new HashSet<>(nodes);
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Set<Link> back = new HashSet<>();
        for (String start : nodes) {
            visit(start, out, done, onPath, back);
        }
        return links.stream().filter(l -> known.contains(l.from()) && known.contains(l.to())
                && !l.from().equals(l.to()) && !back.contains(l)).toList();
    }

    private static void visit(String node, Map<String, List<Link>> out, Set<String> done, Set<String> onPath,
                              Set<Link> back) {
        if (done.contains(node)) {
            return;
        }
        onPath.add(node);
        for (Link l : out.getOrDefault(node, List.of())) {
            if (onPath.contains(l.to())) {
                back.add(l);
            } else {
                visit(l.to(), out, done, onPath, back);
            }
        }
        onPath.remove(node);
        done.add(node);
    }

    /** Longest path from a source, in a topological order (Kahn's algorithm over the acyclic links). */
    private static Map<String, Integer> layers(List<String> nodes, Map<String, List<String>> predecessors) {
        Map<String, Integer> layer = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> successors = new HashMap<>();
        List<String> ready = new ArrayList<>();
        for (String n : nodes) {
            waiting.put(n, predecessors.get(n).size());
            predecessors.get(n).forEach(p -> successors.computeIfAbsent(p, k -> new ArrayList<>()).add(n));
            if (predecessors.get(n).isEmpty()) {
                ready.add(n);
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            String n = ready.get(i);
            layer.put(n, predecessors.get(n).stream().mapToInt(p -> layer.get(p) + 1).max().orElse(0));
            for (String s : successors.getOrDefault(n, List.of())) {
                if (waiting.merge(s, -1, Integer::sum) == 0) {
                    ready.add(s);
                }
            }
        }
        return layer;
    }

    private static Map<String, Integer> positions(List<List<String>> columns) {
        Map<String, Integer> order = new HashMap<>();
        for (List<String> column : columns) {
            for (int i = 0; i < column.size(); i++) {
                order.put(column.get(i), i);
            }
        }
        return order;
    }

    /** Pairs of links between the same two layers that cross. */
    static long crossings(List<Link> links, Map<String, Integer> layer, Map<String, Integer> order) {
        long count = 0;
        for (int i = 0; i < links.size(); i++) {
            Link a = links.get(i);
            for (int j = i + 1; j < links.size(); j++) {
                Link b = links.get(j);
                if (layer.get(a.from()).equals(layer.get(b.from())) && layer.get(a.to()).equals(layer.get(b.to()))) {
                    long from = Integer.compare(order.get(a.from()), order.get(b.from()));
                    long to = Integer.compare(order.get(a.to()), order.get(b.to()));
                    if (from * to < 0) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static Route route(Link l, Placed from, Placed to, Size size) {
        int x1 = from.x() + size.nodeWidth();
        int y1 = from.y() + size.nodeHeight() / 2;
        int x2 = to.x();
        int y2 = to.y() + size.nodeHeight() / 2;
        // A link that closes a cycle runs backwards: bend it out so it does not hide behind the boxes.
        int bend = Math.max(size.gapX() / 2, Math.abs(x2 - x1) / 2);
        return new Route(l.from(), l.to(), "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " "
                + (x2 - bend) + "," + y2 + " " + x2 + "," + y2);
    }
}
