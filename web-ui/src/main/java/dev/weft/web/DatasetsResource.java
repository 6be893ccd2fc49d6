package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.DatasetStore.EventFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Airflow's Datasets view: every dataset with who updates it, who is scheduled on it and its latest event; a
 * dataset's events with the runs they started and what waits in each consumer's queue. Posting an event and clearing
 * a queue are Op's (the URI travels in the query or the form, never in the path: it holds slashes and colons).
 */
@Path("/datasets")
@Produces(MediaType.TEXT_HTML)
public class DatasetsResource {
    static final int EVENTS_PER_PAGE = 25;
    static final String EXTRA_EXAMPLE = "{\"rows\": 1200, \"dedup_key\": \"upload-2026-11-24\"}";

    private final Datasets datasets;

    public DatasetsResource(Datasets datasets) {
        this.datasets = datasets;
    }

    @GET
    @Allowed(Role.VIEWER)
    public DatasetsPage list(@QueryParam("uri") String uri, @QueryParam("page") Integer page,
                             @Context SecurityContext security, @Context ContainerRequestContext request) {
        String filter = blankToNull(uri);
        int p = page == null || page < 1 ? 1 : page;
        int size = BrowseResource.PAGE_SIZE;
        Datasets.Page<Datasets.Dataset> found = datasets.list(filter, null, true, false, size, (p - 1) * size);
        Map<Long, DatasetStore.EventSummary> events = datasets.eventSummaries(found.items().stream()
                .map(d -> d.record().id()).toList());
        Set<String> consumers = new LinkedHashSet<>();
        found.items().forEach(d -> d.consumingDags().forEach(c -> consumers.add(c.dagId())));
        Map<List<String>, Long> queued = new HashMap<>();
        datasets.queueSummaries(consumers).forEach(q -> queued.put(List.of(q.dagId(), q.datasetUri()), q.events()));
        List<DatasetsPage.Row> rows = found.items().stream().map(d -> {
            String u = d.record().uri();
            Optional<DatasetStore.EventSummary> summary = Optional.ofNullable(events.get(d.record().id()));
            return new DatasetsPage.Row(u, producers(d), d.consumingDags().stream()
                    .map(c -> new DatasetsPage.Consumer(c.dagId(), queued.getOrDefault(List.of(c.dagId(), u), 0L)))
                    .toList(), summary.map(s -> Dates.format(s.lastEvent())).orElse(null),
                    summary.map(DatasetStore.EventSummary::events).orElse(0L));
        }).toList();
        return new DatasetsPage(PageUser.of(security, request), filter, p, found.total(),
                (long) p * size < found.total(), rows);
    }

    @GET
    @Path("detail")
    @Allowed(Role.VIEWER)
    public Response detail(@QueryParam("uri") String uri, @QueryParam("page") Integer page,
                           @QueryParam("notice") String notice, @Context SecurityContext security,
                           @Context ContainerRequestContext request) {
        PageUser user = PageUser.of(security, request);
        return find(uri)
                .map(d -> Response.ok(page(d, user, page, notice, "", null)).build())
                .orElseGet(() -> notFound(user, uri));
    }

    /**
     * Records an event as an external producer would ({@code POST /api/v1/datasets/events}); a {@code dedup_key}
     * the dataset already has records nothing, and the page says so.
     */
    @POST
    @Path("events")
    @Allowed(Role.USER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response postEvent(@FormParam("uri") String uri, @FormParam("extra") String extra,
                              @Context SecurityContext security, @Context ContainerRequestContext request) {
        PageUser user = PageUser.of(security, request);
        Optional<Datasets.Dataset> dataset = find(uri);
        if (dataset.isEmpty()) {
            return notFound(user, uri);
        }
        try {
            Map<String, Object> values = TriggerForm.jsonObject(extra, "extra", EXTRA_EXAMPLE);
            DatasetStore.Emitted emitted = datasets.emit(uri, values).orElseThrow();
            return backTo(uri, emitted.created() ? "posted" : "duplicate");
        } catch (IllegalArgumentException | Datasets.BadRequestException e) {
            return Response.status(400).entity(page(dataset.get(), user, 1, null, extra, e.getMessage())).build();
        }
    }

    /** Drops the events of this dataset queued for one consumer DAG (the API's DELETE on its queued event). */
    @POST
    @Path("queue/clear")
    @Allowed(Role.USER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clearQueue(@FormParam("uri") String uri, @FormParam("dag_id") String dagId,
                               @Context SecurityContext security, @Context ContainerRequestContext request) {
        if (find(uri).isEmpty()) {
            return notFound(PageUser.of(security, request), uri);
        }
        if (dagId == null || dagId.isBlank()) {
            throw new jakarta.ws.rs.BadRequestException("dag_id is required: the DAG whose queue to clear");
        }
        int cleared = datasets.deleteQueued(dagId, uri, null);
        return backTo(uri, cleared == 0 ? "nothing-cleared" : "cleared");
    }

    private DatasetPage page(Datasets.Dataset dataset, PageUser user, Integer page, String notice, String extra,
                             String error) {
        int p = page == null || page < 1 ? 1 : page;
        Datasets.Page<Datasets.Event> events = datasets.events(new EventFilter(dataset.record().id(), null, null,
                null, null), true, EVENTS_PER_PAGE, (p - 1) * EVENTS_PER_PAGE);
        List<DatasetPage.EventRow> rows = new ArrayList<>();
        for (Datasets.Event e : events.items()) {
            rows.add(DatasetPage.EventRow.of(e));
        }
        List<DatasetPage.ConsumerQueue> queues = datasets.consumers(dataset.consumingDags().stream()
                .map(Datasets.DagReference::dagId).toList()).stream()
                .map(c -> DatasetPage.ConsumerQueue.of(c, dataset.record().uri())).toList();
        return new DatasetPage(user, dataset.record().uri(), producers(dataset), queues, rows, events.total(), p,
                (long) p * EVENTS_PER_PAGE < events.total(), notice, extra == null ? "" : extra, error);
    }

    private Optional<Datasets.Dataset> find(String uri) {
        return datasets.find(uri == null ? "" : uri);
    }

    /** After a post, the dataset's page with one of its fixed notices. */
    private static Response backTo(String uri, String notice) {
        return Response.seeOther(URI.create(DatasetPage.href(uri) + "&notice=" + notice)).build();
    }

    private static List<DatasetsPage.Producer> producers(Datasets.Dataset d) {
        return d.producingTasks().stream().map(t -> new DatasetsPage.Producer(t.dagId(), t.taskId())).toList();
    }

    private static Response notFound(PageUser user, String uri) {
        return Response.status(404).entity(new ErrorPage(user, 404, "Dataset not found", "No dataset has the URI '"
                + (uri == null ? "" : uri) + "'. A dataset exists once a DAG names it in an outlet or a schedule.",
                null)).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
