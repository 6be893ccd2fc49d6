package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.QueryStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every DAG and the chains between them: trigger tasks (solid arrows, "triggers") and external-task sensors (dashed,
 * "waits for"), each DAG coloured by its latest run. DAGs in no chain are listed after the drawing.
 */
@Path("/dependencies")
@Produces(MediaType.TEXT_HTML)
public class DependenciesResource {
    private final DagStore dags;
    private final QueryStore queries;

    public DependenciesResource(DagStore dags, QueryStore queries) {
        this.dags = dags;
        this.queries = queries;
    }

    @GET
    @Allowed(Role.VIEWER)
    public DependenciesPage dependencies(@Context SecurityContext security, @Context ContainerRequestContext request) {
        List<DagRecord> all = dags.listAll().stream().filter(DagRecord::active)
                .sorted(Comparator.comparing(DagRecord::dagId)).toList();
        Map<String, DagRecord> byId = new LinkedHashMap<>();
        all.forEach(d -> byId.put(d.dagId(), d));
        List<DagDependencies.Edge> edges = DagDependencies.of(all.stream().map(DagRecord::spec).toList());

        // One arrow per pair of DAGs and kind; the tasks behind it go into its text.
        Map<String, List<DagDependencies.Edge>> links = new LinkedHashMap<>();
        List<DependenciesPage.Templated> templated = new ArrayList<>();
        Set<String> chained = new LinkedHashSet<>();
        for (DagDependencies.Edge e : edges) {
            if (e.otherDag().templated()) {
                templated.add(new DependenciesPage.Templated(e.dagId(), e.taskId(), kind(e), verb(e),
                        e.otherDag().text()));
                continue;
            }
            links.computeIfAbsent(e.upstreamDag() + "\n" + e.downstreamDag() + "\n" + kind(e),
                    k -> new ArrayList<>()).add(e);
            chained.add(e.upstreamDag());
            chained.add(e.downstreamDag());
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        Map<String, QueryStore.RecentRun> lastRun = new HashMap<>();
        queries.recentRuns(ids, 1).forEach(r -> lastRun.put(r.dagId(), r));

        List<GraphDrawing.Box> boxes = new ArrayList<>();
        List<DependenciesPage.DagItem> unchained = new ArrayList<>();
        for (String id : chained.stream().sorted().toList()) {
            DependenciesPage.DagItem item = item(id, byId.get(id), lastRun.get(id));
            boxes.add(new GraphDrawing.Box(id, "dag-" + id, "dep-node" + (item.missing() ? " missing" : ""),
                    id, item.detail(), item.style(), item.href(), item.hover()));
        }
        for (String id : ids) {
            if (!chained.contains(id)) {
                unchained.add(item(id, byId.get(id), lastRun.get(id)));
            }
        }
        List<GraphDrawing.Arrow> arrows = new ArrayList<>();
        List<DependenciesPage.EdgeItem> edgeItems = new ArrayList<>();
        for (List<DagDependencies.Edge> group : links.values()) {
            DagDependencies.Edge first = group.get(0);
            String tasks = String.join(", ", group.stream().map(e -> e.dagId() + "." + e.taskId()).toList());
            String text = first.upstreamDag() + switch (first.kind()) {
                case TRIGGERS -> " triggers ";
                case WAITS_FOR -> " is waited for by ";
                case DATASET -> " updates " + first.dataset() + " for ";
            } + first.downstreamDag() + " (" + tasks + ")";
            arrows.add(new GraphDrawing.Arrow(first.upstreamDag(), first.downstreamDag(), kind(first), text));
            edgeItems.add(new DependenciesPage.EdgeItem(first.upstreamDag(), first.downstreamDag(), kind(first),
                    verb(first), tasks));
        }
        GraphDrawing drawing = boxes.isEmpty() ? null : GraphDrawing.of("Dependencies between DAGs",
                chained.size() + " DAGs in chains, " + edgeItems.size() + " links: a solid arrow means the left DAG "
                        + "triggers the right one (or updates a dataset it is scheduled on), a dashed arrow that the "
                        + "right one waits for the left. "
                        + "The list below the drawing says the same in text.", boxes, arrows);
        return new DependenciesPage(PageUser.of(security, request), drawing, edgeItems, templated, unchained,
                all.size());
    }

    private static DependenciesPage.DagItem item(String id, DagRecord dag, QueryStore.RecentRun run) {
        if (dag == null) {
            return new DependenciesPage.DagItem(id, null, true, "not registered", null,
                    "No DAG " + id + " is registered: check the DAG id the task names");
        }
        StateStyle style = run == null ? null : StateStyle.of(run.state());
        String detail = run == null ? "no runs yet" : Dates.format(run.logicalDate());
        if (dag.paused()) {
            detail = "paused · " + detail;
        }
        return new DependenciesPage.DagItem(id, style, false, detail, "/dags/" + Urls.encode(id) + "/grid",
                run == null ? id + ": no runs yet" : id + ": latest run " + run.runId() + " " + style.label());
    }

    private static String kind(DagDependencies.Edge e) {
        return switch (e.kind()) {
            case TRIGGERS -> "triggers";
            case WAITS_FOR -> "waits-for";
            case DATASET -> "dataset";
        };
    }

    private static String verb(DagDependencies.Edge e) {
        return switch (e.kind()) {
            case TRIGGERS -> "triggers";
            case WAITS_FOR -> "waits for";
            case DATASET -> "starts, by updating " + e.dataset() + ",";
        };
    }
}
