package dev.weft.engine.dag;

import dev.weft.engine.schedule.Timetable;
import dev.weft.engine.store.BundleRef;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.TaskSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DagSpec} with what the scheduler derives from it once: a topological order, downstream lists, leaves,
 * effective priority weights (Airflow's {@code downstream} weight rule) and the timetable.
 */
public final class CompiledDag {
    private final DagSpec spec;
    private final String specHash;
    private final List<BundleRef> bundles;
    private final Map<String, TaskSpec> tasks = new LinkedHashMap<>();
    private final Map<String, List<String>> downstream = new HashMap<>();
    private final List<String> topologicalOrder;
    private final Set<String> leaves;
    private final Map<String, Integer> priorityWeights;
    private final Timetable timetable;

    /** A DAG whose code is on the class path. */
    public CompiledDag(DagSpec spec, String specHash) {
        this(spec, specHash, List.of());
    }

    /** A DAG whose callables resolve through {@code bundles} (see {@link dev.weft.engine.store.DagRecord#bundles()}). */
    public CompiledDag(DagSpec spec, String specHash, List<BundleRef> bundles) {
        this.spec = spec;
        this.specHash = specHash;
        this.bundles = List.copyOf(bundles);
        for (TaskSpec t : spec.tasks()) {
            tasks.put(t.taskId(), t);
            downstream.putIfAbsent(t.taskId(), new ArrayList<>());
        }
        for (TaskSpec t : spec.tasks()) {
            for (String up : t.upstream()) {
                downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(t.taskId());
            }
        }
        this.topologicalOrder = sortTopologically();
        Set<String> leafSet = new HashSet<>();
        downstream.forEach((task, down) -> {
            if (down.isEmpty() && tasks.containsKey(task)) {
                leafSet.add(task);
            }
        });
        this.leaves = Collections.unmodifiableSet(leafSet);
        this.priorityWeights = weights();
        this.timetable = Timetable.of(spec);
    }

    private List<String> sortTopologically() {
        Map<String, Integer> indegree = new HashMap<>();
        tasks.values().forEach(t -> indegree.put(t.taskId(), t.upstream().size()));
        Deque<String> ready = new ArrayDeque<>();
        tasks.keySet().stream().filter(id -> indegree.get(id) == 0).forEach(ready::add);
        List<String> order = new ArrayList<>(tasks.size());
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String d : downstream.get(id)) {
                if (indegree.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        return List.copyOf(order);
    }

    /** Own weight plus the weights of every task downstream, counting each task once. */
    private Map<String, Integer> weights() {
        Map<String, Set<String>> below = new HashMap<>();
        for (int i = topologicalOrder.size() - 1; i >= 0; i--) {
            String id = topologicalOrder.get(i);
            Set<String> all = new HashSet<>();
            for (String d : downstream.get(id)) {
                all.add(d);
                all.addAll(below.get(d));
            }
            below.put(id, all);
        }
        Map<String, Integer> result = new HashMap<>();
        for (String id : topologicalOrder) {
            long sum = tasks.get(id).priorityWeight();
            for (String d : below.get(id)) {
                sum += tasks.get(d).priorityWeight();
            }
            result.put(id, (int) Math.min(Integer.MAX_VALUE, sum));
        }
        return result;
    }

    public DagSpec spec() {
        return spec;
    }

    public String specHash() {
        return specHash;
    }

    /** The bundle versions the DAG's callables resolve through; empty when its code is on the class path. */
    public List<BundleRef> bundles() {
        return bundles;
    }

    public String dagId() {
        return spec.dagId();
    }

    public TaskSpec task(String taskId) {
        return tasks.get(taskId);
    }

    public Map<String, TaskSpec> tasks() {
        return Collections.unmodifiableMap(tasks);
    }

    public List<String> downstream(String taskId) {
        return downstream.getOrDefault(taskId, List.of());
    }

    /** Every task downstream of {@code taskIds}, direct or not, without them (unless one is downstream of another). */
    public Set<String> allDownstream(Collection<String> taskIds) {
        Set<String> below = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(taskIds);
        while (!todo.isEmpty()) {
            for (String d : downstream(todo.poll())) {
                if (below.add(d)) {
                    todo.add(d);
                }
            }
        }
        return below;
    }

    public List<String> topologicalOrder() {
        return topologicalOrder;
    }

    public boolean isLeaf(String taskId) {
        return leaves.contains(taskId);
    }

    public int priorityWeight(String taskId) {
        return priorityWeights.getOrDefault(taskId, 1);
    }

    public Timetable timetable() {
        return timetable;
    }
}
