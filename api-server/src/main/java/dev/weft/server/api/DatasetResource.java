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
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
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
 * Airflow's Dataset endpoints: datasets, their events (and {@code POST /datasets/events} for external producers, User
 * and above), the queued events of DAGs, and the events a run consumed. A dataset URI in a path is URL-encoded as one
 * segment, as Airflow's clients send it.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final Datasets datasets;
    private final DagStore dags;
    private final RunStore runs;

    public DatasetResource(Datasets datasets, DagStore dags, RunStore runs) {
        this.datasets = datasets;
        this.dags = dags;
        this.runs = runs;
    }

    @GET
    @Path("datasets")
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
    @Path("datasets/{uri}")
    @Allowed(Role.VIEWER)
    public Dataset get(@PathParam("uri") String uri) {
        return dataset(datasets.find(uri).orElseThrow(() -> datasetNotFound(uri)));
    }

    @GET
    @Path("datasets/events")
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
    @Path("datasets/events")
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
    @Path("dags/{dag_id}/dagRuns/{dag_run_id}/upstreamDatasetEvents")
    @Allowed(Role.VIEWER)
    public DatasetEventCollection upstreamEvents(@PathParam("dag_id") String dagId,
                                                 @PathParam("dag_run_id") String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        List<Datasets.Event> events = datasets.upstreamEvents(run);
        return new DatasetEventCollection(events.stream().map(DatasetResource::event).toList(), events.size());
    }

    @GET
    @Path("dags/{dag_id}/datasets/queuedEvent")
    @Allowed(Role.VIEWER)
    public QueuedEventCollection dagQueued(@PathParam("dag_id") String dagId, @QueryParam("before") String before) {
        requireDag(dagId);
        return queuedCollection(dagId, null, Params.date("before", before));
    }

    @DELETE
    @Path("dags/{dag_id}/datasets/queuedEvent")
    @Allowed(Role.USER)
    public Response deleteDagQueued(@PathParam("dag_id") String dagId, @QueryParam("before") String before) {
        requireDag(dagId);
        return deleted(datasets.deleteQueued(dagId, null, Params.date("before", before)),
                "Queue event with dag_id: `" + dagId + "` was not found");
    }

    @GET
    @Path("dags/{dag_id}/datasets/queuedEvent/{uri}")
    @Allowed(Role.VIEWER)
    public QueuedEvent dagQueuedOf(@PathParam("dag_id") String dagId, @PathParam("uri") String uri,
                                   @QueryParam("before") String before) {
        requireDag(dagId);
        List<QueuedEvent> queued = queued(dagId, uri, Params.date("before", before));
        if (queued.isEmpty()) {
            throw ApiException.notFound("Queue event not found",
                    "Queue event with dag_id: `" + dagId + "` and dataset uri: `" + uri + "` was not found");
        }
        return queued.get(0);
    }

    @DELETE
    @Path("dags/{dag_id}/datasets/queuedEvent/{uri}")
    @Allowed(Role.USER)
    public Response deleteDagQueuedOf(@PathParam("dag_id") String dagId, @PathParam("uri") String uri,
                                      @QueryParam("before") String before) {
        requireDag(dagId);
        return deleted(datasets.deleteQueued(dagId, uri, Params.date("before", before)),
                "Queue event with dag_id: `" + dagId + "` and dataset uri: `" + uri + "` was not found");
    }

    @GET
    @Path("datasets/queuedEvent/{uri}")
    @Allowed(Role.VIEWER)
    public QueuedEventCollection datasetQueued(@PathParam("uri") String uri, @QueryParam("before") String before) {
        datasets.find(uri).orElseThrow(() -> datasetNotFound(uri));
        return queuedCollection(null, uri, Params.date("before", before));
    }

    @DELETE
    @Path("datasets/queuedEvent/{uri}")
    @Allowed(Role.USER)
    public Response deleteDatasetQueued(@PathParam("uri") String uri, @QueryParam("before") String before) {
        datasets.find(uri).orElseThrow(() -> datasetNotFound(uri));
        return deleted(datasets.deleteQueued(null, uri, Params.date("before", before)),
                "Queue event with dataset uri: `" + uri + "` was not found");
    }

    private QueuedEventCollection queuedCollection(String dagId, String uri, Instant before) {
        List<QueuedEvent> queued = queued(dagId, uri, before);
        return new QueuedEventCollection(queued, queued.size());
    }

    /** One entry per DAG and dataset, since its oldest queued event, as Airflow's queue has one row per pair. */
    private List<QueuedEvent> queued(String dagId, String uri, Instant before) {
        Map<List<String>, QueuedEvent> first = new LinkedHashMap<>();
        for (DatasetStore.QueuedEvent q : datasets.queued(dagId, uri, before)) {
            first.merge(List.of(q.dagId(), q.datasetUri()), new QueuedEvent(q.datasetUri(), q.dagId(),
                    date(q.createdAt())), (a, b) -> a.createdAt().compareTo(b.createdAt()) <= 0 ? a : b);
        }
        return new ArrayList<>(first.values());
    }

    private static Response deleted(int count, String notFound) {
        if (count == 0) {
            throw ApiException.notFound("Queue event not found", notFound);
        }
        return Response.noContent().build();
    }

    private void requireDag(String dagId) {
        if (dags.header(dagId).isEmpty()) {
            throw new DagNotFoundException(dagId);
        }
    }

    private static ApiException datasetNotFound(String uri) {
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

    private static DatasetEvent event(Datasets.Event e) {
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
