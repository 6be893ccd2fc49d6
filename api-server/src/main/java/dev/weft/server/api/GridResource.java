package dev.weft.server.api;

import dev.weft.api.model.GridData;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
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

/** Weft only: the data of a DAG's grid view, for the web UI (documented in /api/v1/openapi.yaml). */
@Path("/api/v1/weft/dags/{dag_id}/grid")
@Produces(MediaType.APPLICATION_JSON)
public class GridResource {
    /** Runs the grid shows when {@code num_runs} is not given (Airflow's default_dag_run_display_number). */
    static final int DEFAULT_RUNS = 25;
    static final int MAX_RUNS = 1_000;

    private final QueryStore queries;
    private final DagCatalog catalog;

    public GridResource(QueryStore queries, DagCatalog catalog) {
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
    @Allowed(Role.VIEWER)
    public GridData grid(@PathParam("dag_id") String dagId, @QueryParam("num_runs") String numRuns) {
        int limit = DEFAULT_RUNS;
        if (numRuns != null && !numRuns.isBlank()) {
            limit = Params.integer("num_runs", numRuns);
            if (limit < 1 || limit > MAX_RUNS) {
                throw ApiException.badRequest("num_runs must be between 1 and " + MAX_RUNS + ", got " + limit);
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
}
