package dev.weft.server.api;

import dev.weft.api.model.BackfillBody;
import dev.weft.api.model.BackfillResult;
import dev.weft.api.model.DependencyGraph;
import dev.weft.api.model.RunLineage;
import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.scheduler.StuckTasks;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Weft-only endpoints, beside Airflow's (documented in /api/v1/openapi.yaml). */
@Path("/api/v1/weft")
@Produces(MediaType.APPLICATION_JSON)
public class WeftResource {
    private final RunService service;
    private final RunStore runs;
    private final QueryStore queries;
    private final PoolStore pools;
    private final DagStore dags;

    public WeftResource(RunService service, RunStore runs, QueryStore queries, PoolStore pools, DagStore dags) {
        this.service = service;
        this.runs = runs;
        this.queries = queries;
        this.pools = pools;
        this.dags = dags;
    }

    /**
     * Every active DAG with the links to other DAGs its tasks declare (a trigger task under {@code trigger}, an
     * external-task sensor under {@code external_sensor}, an outlet another DAG is scheduled on under
     * {@code dataset}) and its last run: the UI's dependencies page as data.
     */
    @GET
    @Path("dependencies")
    @Allowed(Role.VIEWER)
    public DependencyGraph dependencies() {
        List<DagRecord> active = dags.listAll().stream().filter(DagRecord::active)
                .sorted(Comparator.comparing(DagRecord::dagId)).toList();
        Map<String, QueryStore.RecentRun> lastRun = new HashMap<>();
        queries.recentRuns(active.stream().map(DagRecord::dagId).toList(), 1).forEach(r -> lastRun.put(r.dagId(), r));
        // Dataset links join a producer to the DAGs scheduled on its outlets: they are found among all DAGs at once.
        Map<String, List<DagDependencies.Edge>> edgesOf = new HashMap<>();
        DagDependencies.of(active.stream().map(DagRecord::spec).toList())
                .forEach(e -> edgesOf.computeIfAbsent(e.dagId(), d -> new ArrayList<>()).add(e));
        List<DependencyGraph.DagNode> nodes = active.stream().map(dag -> {
            Map<String, List<DependencyGraph.Edge>> edges = new LinkedHashMap<>();
            for (DagDependencies.Kind kind : DagDependencies.Kind.values()) {
                edges.put(kind.wireName(), new ArrayList<>());
            }
            for (DagDependencies.Edge e : edgesOf.getOrDefault(dag.dagId(), List.of())) {
                edges.get(e.kind().wireName()).add(new DependencyGraph.Edge(e.taskId(), e.upstreamDag(),
                        e.downstreamDag(), e.otherDag().templated(), e.otherDag().text(),
                        e.otherTasks().stream().map(DagDependencies.Reference::text).toList(), e.dataset()));
            }
            QueryStore.RecentRun run = lastRun.get(dag.dagId());
            return new DependencyGraph.DagNode(dag.dagId(), dag.paused(), run == null ? null
                    : new DependencyGraph.LastRun(run.runId(), ApiMapper.date(run.logicalDate()), run.state()), edges);
        }).toList();
        return new DependencyGraph(nodes, nodes.size());
    }

    /**
     * A backfill (Airflow 2.10's REST API has none): one backfill run per schedule point whose logical date lies in
     * [start_date, end_date], run by the scheduler; existing runs are reused and cleared as asked.
     */
    @POST
    @Path("dags/{dag_id}/backfills")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.USER)
    public BackfillResult backfill(@PathParam("dag_id") String dagId, BackfillBody body) {
        Params.body(body);
        Instant from = Params.date("start_date", body.startDate());
        Instant to = Params.date("end_date", body.endDate());
        if (from == null || to == null) {
            throw ApiException.badRequest("Missing required property(ies): "
                    + (from == null ? to == null ? "['start_date', 'end_date']" : "['start_date']" : "['end_date']"));
        }
        boolean dryRun = Boolean.TRUE.equals(body.dryRun());
        List<BackfillResult.Run> done = service.backfill(new RunService.Backfill(dagId, from, to,
                Boolean.TRUE.equals(body.resetDagRuns()), Boolean.TRUE.equals(body.rerunFailedTasks()), dryRun,
                body.conf())).stream().map(r -> new BackfillResult.Run(r.runId(), ApiMapper.date(r.logicalDate()),
                        ApiMapper.date(r.dataInterval().start()), ApiMapper.date(r.dataInterval().end()),
                        r.run() == null ? "backfill" : r.run().runType().wireName(),
                        r.action().name().toLowerCase(Locale.ROOT), r.run() == null ? null
                        : r.run().state().wireName(), r.clearedTaskInstances())).toList();
        return new BackfillResult(dagId, dryRun, done, done.size());
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
                        "advice", d.advice()))
                .toList());
    }

    /**
     * What waits in scheduled for a pool slot it can never get (its pool does not exist, or has fewer slots than the
     * task's pool_slots), and why: the scheduled task instances, and the tasks of active DAGs, known before any run.
     */
    @GET
    @Path("stuckTasks")
    @Allowed(Role.VIEWER)
    public java.util.Map<String, Object> stuckTasks() {
        return java.util.Map.of("task_instances", stuck(pools.shortOfSlots()), "tasks", stuck(pools.tasksShortOfSlots()));
    }

    private static List<java.util.Map<String, Object>> stuck(List<PoolStore.Shortage> shortages) {
        return StuckTasks.explain(shortages).stream().map(s -> {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("dag_id", s.dagId());
            if (s.runId() != null) {
                row.put("dag_run_id", s.runId());
            }
            row.put("task_id", s.taskId());
            row.put("pool", s.pool());
            row.put("pool_slots", s.poolSlots());
            row.put("pool_size", s.poolSize());
            row.put("reason", s.reason().name().toLowerCase(Locale.ROOT));
            row.put("message", s.message());
            return row;
        }).toList();
    }
}
