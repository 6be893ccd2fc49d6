package dev.weft.server.api;

import dev.weft.api.model.GridData;
import dev.weft.api.model.RunLineage;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.server.auth.Allowed;
import dev.weft.server.auth.Role;
import dev.weft.server.errors.ApiException;
import dev.weft.spi.TaskState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Weft-only endpoints, beside Airflow's (documented in /api/v1/openapi.yaml). */
@Path("/api/v1/weft")
@Produces(MediaType.APPLICATION_JSON)
public class WeftResource {
    /** Runs the grid shows when {@code num_runs} is not given (Airflow's default_dag_run_display_number). */
    static final int GRID_DEFAULT_RUNS = 25;
    static final int GRID_MAX_RUNS = 1_000;

    private final RunStore runs;
    private final QueryStore queries;
    private final DagCatalog catalog;

    public WeftResource(RunStore runs, QueryStore queries, DagCatalog catalog) {
        this.runs = runs;
        this.queries = queries;
        this.catalog = catalog;
    }

    /**
     * The data of the grid view (Airflow's {@code /object/grid_data}): the newest {@code num_runs} runs, oldest first,
     * and for each task its state in each of them. Two queries: the runs (newest first by logical date) and the task
     * instances of those runs. Tasks in the DAG's order (upstream before downstream), then tasks that are no longer in
     * the DAG but have task instances in these runs.
     */
    @GET
    @Path("dags/{dag_id}/grid")
    @Allowed(Role.VIEWER)
    public GridData grid(@PathParam("dag_id") String dagId, @QueryParam("num_runs") String numRuns) {
        int limit = GRID_DEFAULT_RUNS;
        if (numRuns != null && !numRuns.isBlank()) {
            limit = Params.integer("num_runs", numRuns);
            if (limit < 1 || limit > GRID_MAX_RUNS) {
                throw ApiException.badRequest("num_runs must be between 1 and " + GRID_MAX_RUNS + ", got " + limit);
            }
        }
        CompiledDag dag = catalog.get(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
        List<RunRecord> latest = new ArrayList<>(queries.latestRuns(dagId, limit));
        Collections.reverse(latest);
        Map<Long, Integer> column = new HashMap<>();
        for (int i = 0; i < latest.size(); i++) {
            column.put(latest.get(i).id(), i);
        }
        Map<String, String[]> states = new LinkedHashMap<>();
        Map<String, Integer[]> tries = new HashMap<>();
        for (String taskId : dag.topologicalOrder()) {
            states.put(taskId, new String[latest.size()]);
        }
        for (QueryStore.GridCell cell : queries.gridCells(column.keySet())) {
            int i = column.get(cell.runPk());
            states.computeIfAbsent(cell.taskId(), t -> new String[latest.size()])[i] =
                    ApiMapper.state(TaskState.fromWire(cell.state()));
            tries.computeIfAbsent(cell.taskId(), t -> new Integer[latest.size()])[i] = cell.tryNumber();
        }
        List<GridData.TaskRow> rows = new ArrayList<>(states.size());
        for (Map.Entry<String, String[]> e : states.entrySet()) {
            Integer[] t = tries.get(e.getKey());
            List<Integer> tryNumbers = new ArrayList<>(latest.size());
            for (int i = 0; i < latest.size(); i++) {
                tryNumbers.add(t == null || t[i] == null ? 0 : t[i]);
            }
            rows.add(new GridData.TaskRow(e.getKey(), Arrays.asList(e.getValue()), tryNumbers));
        }
        List<GridData.Run> columns = latest.stream().map(r -> new GridData.Run(r.runId(), r.state().wireName(),
                r.runType().wireName(), ApiMapper.date(r.logicalDate()), ApiMapper.date(r.dataIntervalStart()),
                ApiMapper.date(r.dataIntervalEnd()), ApiMapper.date(r.startDate()), ApiMapper.date(r.endDate())))
                .toList();
        return new GridData(dagId, columns, rows);
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
