package dev.weft.server.api;

import dev.weft.api.model.GridData;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.server.errors.ApiException;
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
    private final TaskInstanceStore taskInstances;
    private final DagCatalog catalog;

    public GridResource(QueryStore queries, TaskInstanceStore taskInstances, DagCatalog catalog) {
        this.queries = queries;
        this.taskInstances = taskInstances;
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
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String taskId : dag.topologicalOrder()) {
            rows.put(taskId, new Row(latest.size()));
        }
        for (TaskStateRow cell : taskInstances.statesOf(column.keySet())) {
            int i = column.get(cell.runPk());
            Row row = rows.computeIfAbsent(cell.taskId(), t -> new Row(latest.size()));
            row.states[i] = ApiMapper.state(cell.state());
            row.tries[i] = cell.tryNumber();
        }
        List<GridData.TaskRow> taskRows = new ArrayList<>(rows.size());
        rows.forEach((taskId, row) -> taskRows.add(new GridData.TaskRow(taskId, Arrays.asList(row.states),
                Arrays.stream(row.tries).boxed().toList())));
        List<GridData.Run> columns = latest.stream().map(r -> new GridData.Run(r.runId(), r.state().wireName(),
                r.runType().wireName(), ApiMapper.date(r.logicalDate()), ApiMapper.date(r.dataIntervalStart()),
                ApiMapper.date(r.dataIntervalEnd()), ApiMapper.date(r.startDate()), ApiMapper.date(r.endDate())))
                .toList();
        return new GridData(dagId, columns, taskRows);
    }

    /** A task's cells: its state and try number per run (null and 0 where it has no task instance). */
    private static final class Row {
        final String[] states;
        final int[] tries;

        Row(int runs) {
            states = new String[runs];
            tries = new int[runs];
        }
    }
}
