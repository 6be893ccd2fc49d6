package dev.weft.server.api;

import dev.weft.api.model.BasicDagRun;
import dev.weft.api.model.CreateDatasetEvent;
import dev.weft.api.model.DagScheduleDatasetReference;
import dev.weft.api.model.Dataset;
import dev.weft.api.model.DatasetCollection;
import dev.weft.api.model.DatasetEvent;
import dev.weft.api.model.DatasetEventCollection;
import dev.weft.api.model.QueuedEvent;
import dev.weft.api.model.QueuedEventCollection;
import dev.weft.api.model.TaskOutletDatasetReference;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.weft.server.api.ApiMapper.date;

/**
 * Airflow's Dataset endpoints under {@code /datasets}: datasets, their events (and {@code POST /datasets/events} for
 * external producers, User and above) and the queued events of a dataset; the DAG-scoped ones are in
 * {@link DagDatasetResource}. A dataset URI in a path is URL-encoded as one segment, as Airflow's clients send it.
 */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final Datasets datasets;

    public DatasetResource(Datasets datasets) {
        this.datasets = datasets;
    }

    @GET
        @Allowed(Role.VIEWER)
    public DatasetCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                  @QueryParam("order_by") String orderBy, @QueryParam("uri_pattern") String uriPattern,
                                  @QueryParam("dag_ids") List<String> dagIds) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, Set.of("id", "uri"), "id");
        List<String> ids = Params.list(dagIds);
        Datasets.Page<Datasets.Dataset> page = datasets.list(uriPattern == null || uriPattern.isEmpty() ? null
                : uriPattern, ids == null ? null : new HashSet<>(ids), "uri".equals(paging.sort()),
                paging.descending(), paging.limit(), paging.offset());
        return new DatasetCollection(page.items().stream().map(DatasetResource::dataset).toList(), page.total());
    }

    @GET
    @Path("{uri}")
    @Allowed(Role.VIEWER)
    public Dataset get(@PathParam("uri") String uri) {
        return dataset(datasets.find(uri).orElseThrow(() -> datasetNotFound(uri)));
    }

    @GET
    @Path("events")
    @Allowed(Role.VIEWER)
    public DatasetEventCollection events(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                         @QueryParam("order_by") String orderBy,
                                         @QueryParam("dataset_id") String datasetId,
                                         @QueryParam("source_dag_id") String sourceDagId,
                                         @QueryParam("source_task_id") String sourceTaskId,
                                         @QueryParam("source_run_id") String sourceRunId,
                                         @QueryParam("source_map_index") String sourceMapIndex) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, Set.of("timestamp"),
                "timestamp");
        var filter = new DatasetStore.EventFilter(
                datasetId == null ? null : (long) Params.integer("dataset_id", datasetId), sourceDagId, sourceTaskId,
                sourceRunId, sourceMapIndex == null ? null : Params.integer("source_map_index", sourceMapIndex));
        Datasets.Page<Datasets.Event> page = datasets.events(filter, paging.descending(), paging.limit(),
                paging.offset());
        return new DatasetEventCollection(page.items().stream().map(DatasetResource::event).toList(), page.total());
    }

    /** Airflow answers 200 with the event; so does Weft for a repeated idempotency key (the first event). */
    @POST
    @Path("events")
    @Allowed(Role.USER)
    public DatasetEvent create(CreateDatasetEvent body) {
        Params.body(body);
        if (body.datasetUri() == null) {
            throw ApiException.badRequest("Missing required property(ies): ['dataset_uri']");
        }
        DatasetStore.Emitted emitted = datasets.emit(body.datasetUri(), body.extra())
                .orElseThrow(() -> datasetNotFound(body.datasetUri()));
        return event(new Datasets.Event(emitted.event(), List.of()));
    }

    @GET
    @Path("queuedEvent/{uri}")
    @Allowed(Role.VIEWER)
    public QueuedEventCollection datasetQueued(@PathParam("uri") String uri, @QueryParam("before") String before) {
        datasets.find(uri).orElseThrow(() -> datasetNotFound(uri));
        return queuedCollection(null, uri, Params.date("before", before));
    }

    @DELETE
    @Path("queuedEvent/{uri}")
    @Allowed(Role.USER)
    public Response deleteDatasetQueued(@PathParam("uri") String uri, @QueryParam("before") String before) {
        datasets.find(uri).orElseThrow(() -> datasetNotFound(uri));
        return deleted(datasets.deleteQueued(null, uri, Params.date("before", before)),
                "Queue event with dataset uri: `" + uri + "` was not found");
    }

    QueuedEventCollection queuedCollection(String dagId, String uri, Instant before) {
        List<QueuedEvent> queued = queued(dagId, uri, before);
        return new QueuedEventCollection(queued, queued.size());
    }

    /** One entry per DAG and dataset, since its oldest queued event, as Airflow's queue has one row per pair. */
    List<QueuedEvent> queued(String dagId, String uri, Instant before) {
        Map<List<String>, QueuedEvent> first = new LinkedHashMap<>();
        for (DatasetStore.QueuedEvent q : datasets.queued(dagId, uri, before)) {
            first.merge(List.of(q.dagId(), q.datasetUri()), new QueuedEvent(q.datasetUri(), q.dagId(),
                    date(q.createdAt())), (a, b) -> a.createdAt().compareTo(b.createdAt()) <= 0 ? a : b);
        }
        return new ArrayList<>(first.values());
    }

    static Response deleted(int count, String notFound) {
        if (count == 0) {
            throw ApiException.notFound("Queue event not found", notFound);
        }
        return Response.noContent().build();
    }

    static ApiException datasetNotFound(String uri) {
        return ApiException.notFound("Dataset not found", "The Dataset with uri: `" + uri + "` was not found");
    }

    private static Dataset dataset(Datasets.Dataset d) {
        var r = d.record();
        return new Dataset(r.id(), r.uri(), r.extra(), date(r.createdAt()), date(r.updatedAt()),
                d.consumingDags().stream().map(c -> new DagScheduleDatasetReference(c.dagId(), date(c.updatedAt()),
                        date(c.updatedAt()))).toList(),
                d.producingTasks().stream().map(p -> new TaskOutletDatasetReference(p.dagId(), p.taskId(),
                        date(p.updatedAt()), date(p.updatedAt()))).toList());
    }

    static DatasetEvent event(Datasets.Event e) {
        var r = e.record();
        return new DatasetEvent(r.datasetId(), r.datasetUri(), r.extra(), r.sourceDagId(), r.sourceTaskId(),
                r.sourceRunId(), r.sourceMapIndex(), e.createdRuns().stream().map(DatasetResource::basicRun).toList(),
                date(r.timestamp()));
    }

    private static BasicDagRun basicRun(RunRecord run) {
        return new BasicDagRun(run.runId(), run.dagId(), date(run.logicalDate()), date(run.startDate()),
                date(run.endDate()), date(run.dataIntervalStart()), date(run.dataIntervalEnd()),
                run.state().wireName());
    }
}
