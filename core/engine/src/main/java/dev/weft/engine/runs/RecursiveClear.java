package dev.weft.engine.runs;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.TaskInstanceRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which task instances a recursive clear clears: those selected, then, hop by hop, what every {@link ClearEdge} reaches
 * from each of them, up to a depth. A task instance is visited once, so cycles between DAGs end the walk.
 */
public final class RecursiveClear {
    /** Hops followed when the request does not say (Airflow's ExternalTaskMarker.recursion_depth default). */
    public static final int DEFAULT_DEPTH = 10;
    public static final int MAX_DEPTH = 100;

    private final List<ClearEdge> edges;
    private final Function<String, Optional<CompiledDag>> dags;

    /** {@code dags} gives the order in which a reached run's task instances are listed: upstream first. */
    public RecursiveClear(List<ClearEdge> edges, Function<String, Optional<CompiledDag>> dags) {
        this.edges = List.copyOf(edges);
        this.dags = dags;
    }

    /**
     * One task instance to clear.
     *
     * @param depth         0 for the selection, else the hops from it
     * @param reachedBy     the edge kind that reached it; null for the selection
     * @param from          the task instance the edge started at; null for the selection
     * @param awaitsTrigger its run waits for the task that started it (see {@link TriggeredRunEdge},
     *                      {@link DatasetEventEdge})
     */
    public record Affected(TaskInstanceRecord taskInstance, int depth, String reachedBy, TaskInstanceRecord from,
                           boolean awaitsTrigger) {
    }

    /**
     * What to clear, the selection first, then by depth.
     *
     * @param depthLimit  the depth asked for
     * @param notFollowed the edges left out at the depth limit, one sentence each; empty when the limit was not hit
     */
    public record Plan(List<Affected> affected, int depthLimit, List<String> notFollowed) {
        public Plan {
            affected = List.copyOf(affected);
            notFollowed = List.copyOf(notFollowed);
        }

        public boolean depthLimitReached() {
            return !notFollowed.isEmpty();
        }

        public List<TaskInstanceRecord> taskInstances() {
            return affected.stream().map(Affected::taskInstance).toList();
        }

        /** The ids of the runs that wait for what started them: their trigger task, or new dataset events. */
        public Set<Long> runsAwaitingTrigger() {
            Set<Long> runs = new HashSet<>();
            affected.stream().filter(Affected::awaitsTrigger).forEach(a -> runs.add(a.taskInstance().runPk()));
            return runs;
        }
    }

    /** Checks a depth asked for: 1 to {@link #MAX_DEPTH}. */
    public static int depth(Integer asked) {
        if (asked == null) {
            return DEFAULT_DEPTH;
        }
        if (asked < 1 || asked > MAX_DEPTH) {
            throw new IllegalArgumentException("recursion_depth must be between 1 and " + MAX_DEPTH + ", got " + asked
                    + "; it counts the hops between DAGs a recursive clear follows (default " + DEFAULT_DEPTH + ")");
        }
        return asked;
    }

    public Plan plan(List<TaskInstanceRecord> selected, int depthLimit) {
        Map<Long, Affected> affected = new LinkedHashMap<>();
        Deque<Affected> todo = new ArrayDeque<>();
        for (TaskInstanceRecord ti : selected) {
            Affected a = new Affected(ti, 0, null, null, false);
            if (affected.putIfAbsent(ti.id(), a) == null) {
                todo.add(a);
            }
        }
        List<String> notFollowed = new ArrayList<>();
        while (!todo.isEmpty()) {
            Affected at = todo.poll();
            for (ClearEdge edge : edges) {
                for (ClearEdge.Reach reach : edge.follow(at.taskInstance())) {
                    List<TaskInstanceRecord> fresh = inTaskOrder(reach.taskInstances().stream()
                            .filter(ti -> !affected.containsKey(ti.id())).toList());
                    if (fresh.isEmpty()) {
                        continue;
                    }
                    if (at.depth() == depthLimit) {
                        TaskInstanceRecord first = fresh.get(0);
                        notFollowed.add("depth limit " + depthLimit + " reached: the " + edge.kind() + " edge from "
                                + name(at.taskInstance()) + " to " + fresh.size() + " task instance(s) of "
                                + first.dagId() + "/" + first.runId() + " was not followed");
                        continue;
                    }
                    for (TaskInstanceRecord ti : fresh) {
                        Affected next = new Affected(ti, at.depth() + 1, edge.kind(), at.taskInstance(),
                                reach.awaitsTrigger());
                        affected.put(ti.id(), next);
                        todo.add(next);
                    }
                }
            }
        }
        return new Plan(new ArrayList<>(affected.values()), depthLimit, notFollowed);
    }

    /** Task instances of one run, upstream before downstream as their DAG has them now; unknown tasks last. */
    private List<TaskInstanceRecord> inTaskOrder(List<TaskInstanceRecord> tis) {
        if (tis.isEmpty()) {
            return tis;
        }
        List<String> order = dags.apply(tis.get(0).dagId()).map(CompiledDag::topologicalOrder).orElse(List.of());
        return tis.stream().sorted(Comparator.comparingInt(ti -> {
            int at = order.indexOf(ti.taskId());
            return at < 0 ? Integer.MAX_VALUE : at;
        })).toList();
    }

    private static String name(TaskInstanceRecord ti) {
        return ti.dagId() + "/" + ti.runId() + "/" + ti.taskId();
    }
}
