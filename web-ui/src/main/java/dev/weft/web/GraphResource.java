package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.dag.TaskSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG's tasks and dependencies left to right, coloured by one run's states; trigger tasks and external-task sensors
 * lead to the DAG they trigger or wait for, drawn as a box of its own at the edge of the graph.
 */
@Path("/dags/{dag_id}/graph")
@Produces(MediaType.TEXT_HTML)
public class GraphResource {
    /** How many of the latest runs the run selector offers. */
    static final int RUN_CHOICES = 25;

    private final QueryStore queries;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final DagCatalog catalog;

    public GraphResource(QueryStore queries, RunStore runs, TaskInstanceStore taskInstances, DagCatalog catalog) {
        this.queries = queries;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.catalog = catalog;
    }

    @GET
    @Allowed(Role.VIEWER)
    public GraphPage graph(@PathParam("dag_id") String dagId, @QueryParam("run_id") String runId,
                           @Context SecurityContext security, @Context ContainerRequestContext request) {
        CompiledDag dag = catalog.get(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
        List<RunRecord> latest = queries.latestRuns(dagId, RUN_CHOICES, null);
        RunRecord run = runId == null || runId.isBlank() ? latest.stream().findFirst().orElse(null)
                : runs.find(dagId, runId).orElse(null);
        Map<String, String> states = new HashMap<>();
        if (run != null) {
            for (TaskStateRow row : taskInstances.statesOf(List.of(run.id()))) {
                states.put(row.taskId(), row.state().wireName());
            }
        }
        String runQuery = run == null ? "" : "run_id=" + Urls.encode(run.runId()) + "&";

        List<GraphDrawing.Box> boxes = new ArrayList<>();
        List<GraphDrawing.Arrow> arrows = new ArrayList<>();
        List<GraphPage.TaskItem> taskItems = new ArrayList<>();
        Map<String, DagDependencies.Edge> crossByTask = new LinkedHashMap<>();
        DagDependencies.of(dag.spec()).forEach(e -> crossByTask.put(e.taskId(), e));
        Map<String, GraphDrawing.Box> others = new LinkedHashMap<>();
        for (String taskId : dag.topologicalOrder()) {
            TaskSpec task = dag.task(taskId);
            StateStyle style = StateStyle.of(states.get(taskId));
            DagDependencies.Edge cross = crossByTask.get(taskId);
            String detail = cross == null ? shortType(task.type())
                    : (cross.kind() == DagDependencies.Kind.TRIGGERS ? "triggers " : "waits for ")
                    + cross.otherDag().display();
            String href = "/dags/" + Urls.encode(dagId) + "/grid?" + runQuery + "task_id=" + Urls.encode(taskId);
            boxes.add(new GraphDrawing.Box(taskId, "node-" + taskId,
                    "task" + (task.isSensor() ? " sensor" : ""), taskId, detail, style, href,
                    taskId + " (" + task.type() + "): " + style.label()));
            for (String up : task.upstream()) {
                arrows.add(new GraphDrawing.Arrow(up, taskId, "task", up + " → " + taskId));
            }
            if (cross != null) {
                String key = cross.otherDag().templated() ? "templated:" + taskId
                        : (cross.kind() == DagDependencies.Kind.TRIGGERS ? "triggers:" : "waits-for:")
                        + cross.otherDag().text();
                others.computeIfAbsent(key, k -> otherDagBox(k, cross));
                arrows.add(cross.kind() == DagDependencies.Kind.TRIGGERS
                        ? new GraphDrawing.Arrow(taskId, key, "triggers", taskId + " triggers "
                        + cross.otherDag().display())
                        : new GraphDrawing.Arrow(key, taskId, "waits-for", taskId + " waits for "
                        + cross.otherDag().display() + tasks(cross)));
            }
            taskItems.add(new GraphPage.TaskItem(taskId, task.type(), style, href, task.upstream(),
                    cross == null ? null : crossItem(cross)));
        }
        boxes.addAll(others.values());
        GraphDrawing drawing = GraphDrawing.of("Graph of " + dagId,
                dag.topologicalOrder().size() + " tasks, left to right in dependency order"
                        + (run == null ? ", no run yet" : ", coloured by the states of run " + run.runId())
                        + ". The lists below the graph say the same in text.", boxes, arrows);
        List<GraphPage.RunChoice> choices = latest.stream().map(r -> new GraphPage.RunChoice(r.runId(),
                r.runType().wireName(), r.state().wireName(), Dates.format(r.logicalDate()),
                run != null && r.id() == run.id())).toList();
        return new GraphPage(PageUser.of(security, request), dagId, dag.spec().description(), drawing, taskItems,
                choices, run == null ? null : run.runId(), runId != null && !runId.isBlank() && run == null);
    }

    private static GraphDrawing.Box otherDagBox(String key, DagDependencies.Edge cross) {
        boolean triggers = cross.kind() == DagDependencies.Kind.TRIGGERS;
        String other = cross.otherDag().text();
        String detail = triggers ? "DAG triggered" : "DAG waited for";
        if (cross.otherDag().templated()) {
            return new GraphDrawing.Box(key, "other-templated-" + cross.taskId(), "other-dag templated", "templated",
                    detail + ": " + other, null, null, "Known only when " + cross.taskId() + " runs: " + other);
        }
        return new GraphDrawing.Box(key, (triggers ? "other-triggers-" : "other-waits-for-") + other,
                "other-dag " + (triggers ? "triggers" : "waits-for"), other, detail, null,
                "/dags/" + Urls.encode(other) + "/graph", "Open the graph of " + other);
    }

    private static GraphPage.CrossItem crossItem(DagDependencies.Edge cross) {
        boolean triggers = cross.kind() == DagDependencies.Kind.TRIGGERS;
        String other = cross.otherDag().templated() ? null : cross.otherDag().text();
        return new GraphPage.CrossItem(triggers ? "triggers" : "waits-for", triggers ? "triggers" : "waits for",
                cross.otherDag().display(), other == null ? null : "/dags/" + Urls.encode(other) + "/graph",
                tasks(cross));
    }

    private static String tasks(DagDependencies.Edge cross) {
        return cross.otherTasks().isEmpty() ? cross.kind() == DagDependencies.Kind.WAITS_FOR ? " (the whole run)" : ""
                : " (task " + String.join(", ", cross.otherTasks().stream()
                .map(DagDependencies.Reference::display).toList()) + ")";
    }

    /** {@code standard.shell} → {@code shell}: the plugin prefix says little inside a box. */
    private static String shortType(String type) {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
