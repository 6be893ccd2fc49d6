package dev.weft.server.api;

import dev.weft.api.model.RunLineage;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.server.auth.Allowed;
import dev.weft.server.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Weft-only endpoints, beside Airflow's (documented in /api/v1/openapi.yaml). */
@Path("/api/v1/weft")
@Produces(MediaType.APPLICATION_JSON)
public class WeftResource {
    private final RunStore runs;
    private final QueryStore queries;

    public WeftResource(RunStore runs, QueryStore queries) {
        this.runs = runs;
        this.queries = queries;
    }

    @GET
    @Path("dags/{dag_id}/dagRuns/{dag_run_id}/lineage")
    @Allowed(Role.VIEWER)
    public RunLineage lineage(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        RunLineage.TaskRef by = run.triggeredByDagId() == null ? null : new RunLineage.TaskRef(
                run.triggeredByDagId(), run.triggeredByRunId(), run.triggeredByTaskId());
        return new RunLineage(dagId, runId, run.clearNumber(), ApiMapper.date(run.queuedAt()), by,
                queries.triggeredBy(dagId, runId).stream().map(r -> new RunLineage.RunRef(r.dagId(), r.runId(),
                        r.triggeredByTaskId())).toList());
    }

    /**
     * DAGs and pools whose every slot has been held by poke-mode sensors, while other tasks wait, for longer than the
     * server's threshold: the sensor deadlock of Airflow's chapter 6. The cure is reschedule mode.
     */
    @GET
    @Path("sensorDeadlocks")
    @Allowed(Role.VIEWER)
    public java.util.Map<String, Object> sensorDeadlocks() {
        return java.util.Map.of("sensor_deadlocks", queries.sensorDeadlocks().stream()
                .map(d -> java.util.Map.of("kind", d.kind(), "name", d.name(), "since", ApiMapper.date(d.since()),
                        "advice", "every slot of this " + d.kind() + " is held by sensors in poke mode while other "
                                + "tasks wait: use mode reschedule so sensors free their slot between pokes"))
                .toList());
    }
}
