package dev.weft.engine.dag;

import dev.weft.engine.template.TemplateRenderer;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.TaskSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The edges between DAGs, read from their specs: a {@code standard.trigger_dag_run} task triggers another DAG, a
 * {@code standard.external_task_sensor} waits for one, a task's outlet updates a dataset another DAG is scheduled on. Both name the other DAG by a parameter that may be a template,
 * known only when the task runs: such a reference is kept, marked templated, and has no DAG to draw an edge to.
 */
public final class DagDependencies {
    /** The standard plugin's type ids (the engine knows plugins only by id). */
    public static final String TRIGGER_DAG_RUN = "standard.trigger_dag_run";
    public static final String EXTERNAL_TASK_SENSOR = "standard.external_task_sensor";

    public enum Kind {
        /** The task triggers a run of the other DAG: the edge goes from the task's DAG to the other. */
        TRIGGERS("trigger"),
        /** The sensor waits for the other DAG (or some of its tasks): the edge goes from the other DAG to the sensor's. */
        WAITS_FOR("external_sensor"),
        /**
         * The task updates a dataset (an outlet) the other DAG is scheduled on: the edge goes from the task's DAG to
         * the other, and {@link Edge#dataset} names the dataset.
         */
        DATASET("dataset");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The kind's name in the API (the dependencies endpoint, a recursive clear's edges). */
        public String wireName() {
            return wireName;
        }
    }

    /** A parameter's value as the spec has it: a literal, or a template known only at run time. */
    public record Reference(String text, boolean templated) {
        static Reference of(Object value) {
            String text = value == null ? null : value.toString();
            return new Reference(text, text != null && TemplateRenderer.isTemplate(text));
        }

        /** The literal, or {@code templated}. */
        public String display() {
            return templated ? "templated" : text;
        }
    }

    /**
     * One task's reference to another DAG.
     *
     * @param dagId      the DAG holding the task
     * @param taskId     the trigger or sensor task
     * @param otherDag   the DAG triggered or waited for
     * @param otherTasks the tasks a sensor waits for; empty when it waits for the whole run (and for triggers)
     */
    public record Edge(Kind kind, String dagId, String taskId, Reference otherDag, List<Reference> otherTasks,
                       String dataset) {
        public Edge {
            otherTasks = List.copyOf(otherTasks);
        }

        /** A trigger's or a sensor's edge (no dataset). */
        public Edge(Kind kind, String dagId, String taskId, Reference otherDag, List<Reference> otherTasks) {
            this(kind, dagId, taskId, otherDag, otherTasks, null);
        }

        /** The DAG the edge starts at (data flows from it); null when that is a template. */
        public String upstreamDag() {
            return kind == Kind.WAITS_FOR ? literal(otherDag) : dagId;
        }

        /** The DAG the edge ends at; null when that is a template. */
        public String downstreamDag() {
            return kind == Kind.WAITS_FOR ? dagId : literal(otherDag);
        }

        private static String literal(Reference r) {
            return r.templated() ? null : r.text();
        }
    }

    private DagDependencies() {
    }

    /** The edges of one DAG's tasks, in task order. */
    public static List<Edge> of(DagSpec dag) {
        List<Edge> edges = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            edge(dag.dagId(), task).ifPresent(edges::add);
        }
        return edges;
    }

    /**
     * The edges of every DAG, in the order given: each DAG's triggers and sensors, then the dataset edges of its
     * tasks' outlets to the DAGs (among {@code dags}) scheduled on those datasets.
     */
    public static List<Edge> of(Collection<DagSpec> dags) {
        List<Edge> edges = new ArrayList<>();
        for (DagSpec dag : dags) {
            edges.addAll(of(dag));
            for (TaskSpec task : dag.tasks()) {
                for (String uri : task.outlets()) {
                    for (DagSpec consumer : dags) {
                        if (consumer.datasets().contains(uri)) {
                            edges.add(new Edge(Kind.DATASET, dag.dagId(), task.taskId(),
                                    new Reference(consumer.dagId(), false), List.of(), uri));
                        }
                    }
                }
            }
        }
        return edges;
    }

    /** The task's edge, when it is a trigger or an external-task sensor that names a DAG. */
    public static Optional<Edge> edge(String dagId, TaskSpec task) {
        return switch (task.type()) {
            case TRIGGER_DAG_RUN -> named(task, "trigger_dag_id")
                    .map(d -> new Edge(Kind.TRIGGERS, dagId, task.taskId(), d, List.of()));
            case EXTERNAL_TASK_SENSOR -> named(task, "external_dag_id")
                    .map(d -> new Edge(Kind.WAITS_FOR, dagId, task.taskId(), d, externalTasks(task)));
            default -> Optional.empty();
        };
    }

    private static Optional<Reference> named(TaskSpec task, String param) {
        Object value = task.params().get(param);
        return value == null || value.toString().isBlank() ? Optional.empty()
                : Optional.of(Reference.of(value));
    }

    private static List<Reference> externalTasks(TaskSpec task) {
        Object one = task.params().get("external_task_id");
        if (one != null && !one.toString().isBlank()) {
            return List.of(Reference.of(one));
        }
        Object many = task.params().get("external_task_ids");
        if (many instanceof Collection<?> ids) {
            return ids.stream().map(Reference::of).toList();
        }
        // A template that renders to the list at run time.
        return many == null ? List.of() : List.of(Reference.of(many));
    }
}
