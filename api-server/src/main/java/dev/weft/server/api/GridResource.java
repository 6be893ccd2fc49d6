package dev.weft.server.api;

import dev.weft.api.model.GridData;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.grid.Grid;
import dev.weft.engine.grid.GridService;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Weft only: the data of a DAG's grid view (documented in /api/v1/openapi.yaml); the web UI draws the same grid. */
@Path("/api/v1/weft/dags/{dag_id}/grid")
@Produces(MediaType.APPLICATION_JSON)
public class GridResource {
    private final GridService grids;

    public GridResource(GridService grids) {
        this.grids = grids;
    }

    /**
     * The data of the grid view (Airflow's {@code /object/grid_data}): the newest {@code num_runs} runs, oldest first,
     * and for each task its state in each of them.
     */
    @GET
    @Allowed(Role.VIEWER)
    public GridData grid(@PathParam("dag_id") String dagId, @QueryParam("num_runs") String numRuns) {
        int limit = GridService.DEFAULT_RUNS;
        if (numRuns != null && !numRuns.isBlank()) {
            limit = Params.integer("num_runs", numRuns);
            if (limit < 1 || limit > GridService.MAX_RUNS) {
                throw ApiException.badRequest("num_runs must be between 1 and " + GridService.MAX_RUNS + ", got "
                        + limit);
            }
        }
        Grid grid = grids.load(dagId, limit, null);
        List<GridData.TaskRow> rows = grid.rows().stream().map(row -> new GridData.TaskRow(row.taskId(),
                row.cells().stream().map(c -> c == null ? null : ApiMapper.state(c.state())).toList(),
                row.cells().stream().map(c -> c == null ? 0 : c.tryNumber()).toList())).toList();
        List<GridData.Run> columns = grid.runs().stream().map(r -> new GridData.Run(r.runId(), r.state().wireName(),
                r.runType().wireName(), ApiMapper.date(r.logicalDate()), ApiMapper.date(r.dataIntervalStart()),
                ApiMapper.date(r.dataIntervalEnd()), ApiMapper.date(r.startDate()), ApiMapper.date(r.endDate())))
                .toList();
        return new GridData(dagId, columns, rows);
    }
}
