package dev.weft.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A DAG's task graph as text, from each task's downstream task ids: deterministic (ids sorted), so it can be diffed
 * and tested.
 */
final class GraphText {
    private GraphText() {
    }

    /** Task id → downstream task ids, sorted; downstream ids the DAG does not have are kept as nodes too. */
    private static Map<String, List<String>> normalize(Map<String, ? extends List<String>> downstream) {
        Map<String, List<String>> g = new TreeMap<>();
        downstream.forEach((id, next) -> g.put(id, new ArrayList<>(new TreeSet<>(next == null ? List.of() : next))));
        for (List<String> next : List.copyOf(g.values())) {
            next.forEach(n -> g.putIfAbsent(n, List.of()));
        }
        return g;
    }

    /**
     * Layers by topological depth (a task is one layer below its deepest upstream task), each task with the tasks
     * it leads to:
     * <pre>
     * layer 0
     *   extract -&gt; load, transform
     * layer 1
     *   transform -&gt; load
     * layer 2
     *   load
     * </pre>
     *
     * @throws IllegalArgumentException if the graph has a cycle (a valid DAG never has)
     */
    static String layers(String dagId, Map<String, ? extends List<String>> downstream) {
        Map<String, List<String>> g = normalize(downstream);
        Map<String, Integer> depth = depths(g);
        TreeMap<Integer, List<String>> byDepth = new TreeMap<>();
        depth.forEach((id, d) -> byDepth.computeIfAbsent(d, k -> new ArrayList<>()).add(id));
        int edges = g.values().stream().mapToInt(List::size).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(dagId).append(": ").append(g.size()).append(g.size() == 1 ? " task, " : " tasks, ").append(edges)
                .append(edges == 1 ? " dependency" : " dependencies").append('\n');
        byDepth.forEach((d, ids) -> {
            sb.append("layer ").append(d).append('\n');
            ids.stream().sorted().forEach(id -> {
                sb.append("  ").append(id);
                if (!g.get(id).isEmpty()) {
                    sb.append(" -> ").append(String.join(", ", g.get(id)));
                }
                sb.append('\n');
            });
        });
        return sb.toString();
    }

    /** Longest path from any root, by Kahn's algorithm over the sorted graph. */
    private static Map<String, Integer> depths(Map<String, List<String>> g) {
        Map<String, Integer> indegree = new HashMap<>();
        g.keySet().forEach(id -> indegree.put(id, 0));
        g.values().forEach(next -> next.forEach(n -> indegree.merge(n, 1, Integer::sum)));
        Map<String, Integer> depth = new TreeMap<>();
        TreeSet<String> ready = new TreeSet<>();
        indegree.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
                depth.put(id, 0);
            }
        });
        Set<String> done = new HashSet<>();
        while (!ready.isEmpty()) {
            String id = ready.pollFirst();
            done.add(id);
            for (String n : g.get(id)) {
                depth.merge(n, depth.get(id) + 1, Math::max);
                if (indegree.merge(n, -1, Integer::sum) == 0) {
                    ready.add(n);
                }
            }
        }
        if (done.size() != g.size()) {
            Set<String> cyclic = new TreeSet<>(g.keySet());
            cyclic.removeAll(done);
            throw new IllegalArgumentException("the task graph has a cycle through " + String.join(", ", cyclic));
        }
        return depth;
    }

    /**
     * Airflow's {@code tasks list --tree}: every root task, then its downstream tasks indented below it. A task
     * reached a second time is shown with "(see above)" instead of its subtree again.
     */
    static String tree(Map<String, ? extends List<String>> downstream) {
        Map<String, List<String>> g = normalize(downstream);
        Set<String> hasUpstream = new HashSet<>();
        g.values().forEach(hasUpstream::addAll);
        StringBuilder sb = new StringBuilder();
        Set<String> shown = new HashSet<>();
        for (String root : g.keySet()) {
            if (!hasUpstream.contains(root)) {
                sb.append(root).append('\n');
                shown.add(root);
                children(g, root, "", shown, sb);
            }
        }
        return sb.toString();
    }

    private static void children(Map<String, List<String>> g, String id, String indent, Set<String> shown,
                                 StringBuilder sb) {
        List<String> next = g.get(id);
        for (int i = 0; i < next.size(); i++) {
            boolean last = i == next.size() - 1;
            String child = next.get(i);
            sb.append(indent).append(last ? "└── " : "├── ").append(child);
            if (!shown.add(child)) {
                sb.append(g.get(child).isEmpty() ? "" : " (see above)").append('\n');
                continue;
            }
            sb.append('\n');
            children(g, child, indent + (last ? "    " : "│   "), shown, sb);
        }
    }
}
