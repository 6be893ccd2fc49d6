package dev.weft.server.api;

import dev.weft.api.model.DatasetEventCollection;
import dev.weft.api.model.QueuedEvent;
import dev.weft.api.model.QueuedEventCollection;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Airflow's DAG-scoped Dataset endpoints: a DAG's queued events, and the events a run consumed. */
@Path("/api/v1/dags")
@Produces(MediaType.APPLICATION_JSON)
public class DagDatasetResource {
    private final Datasets datasets;
    private final DatasetResource queues;
    private final DagStore dags;
    private final RunStore runs;

    public DagDatasetResource(Datasets datasets, DatasetResource queues, DagStore dags, RunStore runs) {
        this.datasets = datasets;
        this.queues = queues;
        this.dags = dags;
        this.runs = runs;
    }

    @GET
    @Path("{dag_id}/dagRuns/{dag_run_id}/upstreamDatasetEvents")
    @Allowed(Role.VIEWER)
    public DatasetEventCollection upstreamEvents(@PathParam("dag_id") String dagId,
                                                 @PathParam("dag_run_id") String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        List<Datasets.Event> events = datasets.upstreamEvents(run);
        return new DatasetEventCollection(events.stream().map(DatasetResource::event).toList(), events.size());
    }

    @GET
    @Path("{dag_id}/datasets/queuedEvent")
    @Allowed(Role.VIEWER)
    public QueuedEventCollection dagQueued(@PathParam("dag_id") String dagId, @QueryParam("before") String before) {
        requireDag(dagId);
        return queues.queuedCollection(dagId, null, Params.date("before", before));
    }

    @DELETE
    @Path("{dag_id}/datasets/queuedEvent")
    @Allowed(Role.USER)
    public Response deleteDagQueued(@PathParam("dag_id") String dagId, @QueryParam("before") String before) {
        requireDag(dagId);
        return DatasetResource.deleted(datasets.deleteQueued(dagId, null, Params.date("before", before)),
                "Queue event with dag_id: `" + dagId + "` was not found");
    }

    @GET
    @Path("{dag_id}/datasets/queuedEvent/{uri}")
    @Allowed(Role.VIEWER)
    public QueuedEvent dagQueuedOf(@PathParam("dag_id") String dagId, @PathParam("uri") String uri,
                                   @QueryParam("before") String before) {
        requireDag(dagId);
        List<QueuedEvent> queued = queues.queued(dagId, uri, Params.date("before", before));
        if (queued.isEmpty()) {
            throw ApiException.notFound("Queue event not found",
                    "Queue event with dag_id: `" + dagId + "` and dataset uri: `" + uri + "` was not found");
        }
        return queued.get(0);
    }

    @DELETE
    @Path("{dag_id}/datasets/queuedEvent/{uri}")
    @Allowed(Role.USER)
    public Response deleteDagQueuedOf(@PathParam("dag_id") String dagId, @PathParam("uri") String uri,
                                      @QueryParam("before") String before) {
        requireDag(dagId);
        return DatasetResource.deleted(datasets.deleteQueued(dagId, uri, Params.date("before", before)),
                "Queue event with dag_id: `" + dagId + "` and dataset uri: `" + uri + "` was not found");
    }

    private void requireDag(String dagId) {
        if (dags.header(dagId).isEmpty()) {
            throw new DagNotFoundException(dagId);
        }
    }
}
