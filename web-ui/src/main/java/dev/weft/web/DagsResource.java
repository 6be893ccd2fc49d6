package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.scheduler.StuckTasks;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The landing page: every DAG with its schedule, next run and latest runs; pause and unpause. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DagsResource {
    /** How many of each DAG's latest runs the list shows. */
    static final int RECENT_RUNS = 10;
    static final int PAGE_SIZE = 100;

    private final QueryStore queries;
    private final DagStore dags;
    private final DagCatalog catalog;
    private final DagRegistry registry;
    private final PoolStore pools;

    public DagsResource(QueryStore queries, DagStore dags, DagCatalog catalog, DagRegistry registry,
                        PoolStore pools) {
        this.queries = queries;
        this.dags = dags;
        this.catalog = catalog;
        this.registry = registry;
        this.pools = pools;
    }

    @GET
    @Allowed(Role.VIEWER)
    public DagsPage list(@QueryParam("search") String search, @QueryParam("tag") String tag,
                         @QueryParam("show") String show, @QueryParam("page") Integer page,
                         @Context SecurityContext security, @Context ContainerRequestContext request) {
        Boolean paused = switch (show == null ? "" : show) {
            case "active" -> false;
            case "paused" -> true;
            default -> null;
        };
        int pageNumber = page == null || page < 1 ? 1 : page;
        String idContains = search == null || search.isBlank() ? null : search.trim();
        List<String> tags = tag == null || tag.isBlank() ? null : List.of(tag.trim());
        QueryStore.Page<DagRecord> found = queries.dags(new QueryStore.DagFilter(idContains, tags, true, paused),
                new QueryStore.Paging(PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE, "dag_id", false));
        Map<String, List<DagsPage.RunSquare>> recent = new LinkedHashMap<>();
        List<String> ids = found.items().stream().map(DagRecord::dagId).toList();
        for (QueryStore.RecentRun run : queries.recentRuns(ids, RECENT_RUNS)) {
            recent.computeIfAbsent(run.dagId(), k -> new ArrayList<>()).add(0, new DagsPage.RunSquare(run.runId(),
                    run.runType(), StateStyle.of(run.state()), Dates.format(run.logicalDate())));
        }
        List<DagsPage.Row> rows = new ArrayList<>();
        TreeSet<String> allTags = new TreeSet<>();
        for (DagRecord dag : found.items()) {
            allTags.addAll(dag.spec().tags());
            rows.add(new DagsPage.Row(dag.dagId(), dag.spec().description(), dag.spec().tags(),
                    // A DAG on datasets alone has no timetable to put in words ("never" would be wrong).
                    dag.spec().schedule(), dag.spec().schedule() == null && dag.spec().isDatasetScheduled() ? null
                            : scheduleInWords(dag),
                    dag.spec().datasets().stream().map(DatasetPage.DatasetLink::new).toList(),
                    Dates.format(dag.nextDagrun()), dag.paused(),
                    recent.getOrDefault(dag.dagId(), List.of())));
        }
        List<DagsPage.Banner> errors = registry.importErrors().stream()
                .map(e -> new DagsPage.Banner(e.source(), e.message())).toList();
        List<DagsPage.Banner> deadlocks = queries.sensorDeadlocks().stream().map(d -> new DagsPage.Banner(
                d.kind() + " " + d.name() + " since " + Dates.format(d.since()), d.advice())).toList();
        List<DagsPage.Banner> stuck = StuckTasks.explain(pools.tasksShortOfSlots()).stream()
                .map(t -> new DagsPage.Banner(t.dagId() + "." + t.taskId(), t.message())).toList();
        return new DagsPage(PageUser.of(security, request), rows, found.total(), pageNumber,
                (long) pageNumber * PAGE_SIZE < found.total(), search, tag, show == null ? "all" : show,
                List.copyOf(allTags), errors, deadlocks, stuck);
    }

    @POST
    @Path("dags/{dag_id}/pause")
    @Allowed(Role.USER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response pause(@PathParam("dag_id") String dagId, @FormParam("paused") boolean paused,
                          @FormParam("back") String back) {
        if (!dags.setPaused(dagId, paused)) {
            throw new DagNotFoundException(dagId);
        }
        return Response.seeOther(URI.create(LoginResource.safeNext(back))).build();
    }

    private String scheduleInWords(DagRecord dag) {
        try {
            return catalog.get(dag).timetable().description();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
