package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.model.ClearDagRun;
import dev.weft.api.model.DagRun;
import dev.weft.api.model.DagRunCollection;
import dev.weft.api.model.ListDagRunsForm;
import dev.weft.api.model.TaskInstanceReferenceCollection;
import dev.weft.api.model.TriggerDagRun;
import dev.weft.api.model.UpdateDagRunState;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.server.errors.ApiException;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** DAG runs: trigger, list, read, mark, delete and clear. */
@Path("/api/v1/dags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DagRunResource {
    private final RunService service;
    private final RunStore runs;
    private final QueryStore queries;
    private final ObjectMapper mapper;

    public DagRunResource(RunService service, RunStore runs, QueryStore queries, ObjectMapper mapper) {
        this.service = service;
        this.runs = runs;
        this.queries = queries;
        this.mapper = mapper;
    }

    @POST
    @Path("{dag_id}/dagRuns")
    @Allowed(Role.USER)
    public DagRun trigger(@PathParam("dag_id") String dagId, TriggerDagRun body) {
        Params.body(body);
        Instant logical = Params.date("logical_date", body.logicalDate());
        Instant execution = Params.date("execution_date", body.executionDate());
        if (logical != null && execution != null && !logical.equals(execution)) {
            throw ApiException.badRequest("logical_date conflicts with execution_date");
        }
        Instant when = logical != null ? logical : execution;
        Instant start = Params.date("data_interval_start", body.dataIntervalStart());
        Instant end = Params.date("data_interval_end", body.dataIntervalEnd());
        if ((start == null) != (end == null)) {
            throw ApiException.badRequest("Both 'data_interval_start' and 'data_interval_end' must be specified"
                    + " together");
        }
        if (start != null && start.isAfter(end)) {
            throw ApiException.badRequest("data_interval_start must not be after data_interval_end");
        }
        String runId = body.dagRunId() == null || body.dagRunId().isEmpty() ? null : body.dagRunId();
        try {
            return ApiMapper.run(service.triggerManual(new RunService.Trigger(dagId, runId, when,
                    start == null ? null : new DataInterval(start, end), body.conf() == null ? Map.of() : body.conf(),
                    body.note(), null)));
        } catch (RunConflictException e) {
            if (e.kind() == RunConflictException.Kind.LOGICAL_DATE && when != null) {
                throw ApiException.conflict("DAGRun with DAG ID: '" + dagId + "' and DAGRun logical date: '"
                        + ApiMapper.date(when).replace('T', ' ') + "' already exists");
            }
            throw e;
        }
    }

    @GET
    @Path("{dag_id}/dagRuns")
    @Allowed(Role.VIEWER)
    public JsonNode list(@PathParam("dag_id") String dagId, @QueryParam("limit") String limit,
                         @QueryParam("offset") String offset,
                         @QueryParam("execution_date_gte") String executionGte,
                         @QueryParam("execution_date_lte") String executionLte,
                         @QueryParam("start_date_gte") String startGte, @QueryParam("start_date_lte") String startLte,
                         @QueryParam("end_date_gte") String endGte, @QueryParam("end_date_lte") String endLte,
                         @QueryParam("updated_at_gte") String updatedGte,
                         @QueryParam("updated_at_lte") String updatedLte,
                         @QueryParam("state") List<String> states, @QueryParam("order_by") String orderBy,
                         @QueryParam("fields") List<String> fields) {
        QueryStore.Paging paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy,
                QueryStore.RUN_SORTS, "id");
        var filter = new QueryStore.RunFilter("~".equals(dagId) ? null : List.of(dagId), Params.list(states),
                Params.range("execution_date", executionGte, executionLte),
                Params.range("start_date", startGte, startLte), Params.range("end_date", endGte, endLte),
                Params.range("updated_at", updatedGte, updatedLte));
        QueryStore.Page<RunRecord> page = queries.runs(filter, paging);
        ObjectNode result = mapper.createObjectNode();
        ArrayNode items = result.putArray("dag_runs");
        for (RunRecord run : page.items()) {
            items.add(Params.fields(mapper, ApiMapper.run(run), fields));
        }
        result.put("total_entries", page.total());
        return result;
    }

    @POST
    @Path("~/dagRuns/list")
    @Allowed(Role.VIEWER)
    public DagRunCollection listBatch(ListDagRunsForm body) {
        Params.body(body);
        if (body.pageOffset() != null && body.pageOffset() < 0) {
            throw ApiException.badRequest(body.pageOffset() + " is less than the minimum of 0 - 'page_offset'");
        }
        if (body.pageLimit() != null && body.pageLimit() < 1) {
            throw ApiException.badRequest(body.pageLimit() + " is less than the minimum of 1 - 'page_limit'");
        }
        int limit = body.pageLimit() == null ? Params.MAX_LIMIT : Math.min(body.pageLimit(), Params.MAX_LIMIT);
        int offset = body.pageOffset() == null ? 0 : body.pageOffset();
        QueryStore.Paging paging = Params.paging(limit, offset, body.orderBy(), QueryStore.RUN_SORTS, "id");
        var filter = new QueryStore.RunFilter(body.dagIds() == null || body.dagIds().isEmpty() ? null
                : body.dagIds(), body.states() == null || body.states().isEmpty() ? null : body.states(),
                Params.range("execution_date", body.executionDateGte(), body.executionDateLte()),
                Params.range("start_date", body.startDateGte(), body.startDateLte()),
                Params.range("end_date", body.endDateGte(), body.endDateLte()), QueryStore.Range.ANY);
        QueryStore.Page<RunRecord> page = queries.runs(filter, paging);
        return new DagRunCollection(page.items().stream().map(ApiMapper::run).toList(), page.total());
    }

    @GET
    @Path("{dag_id}/dagRuns/{dag_run_id}")
    @Allowed(Role.VIEWER)
    public JsonNode get(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                        @QueryParam("fields") List<String> fields) {
        return Params.fields(mapper, ApiMapper.run(find(dagId, runId)), fields);
    }

    @PATCH
    @Path("{dag_id}/dagRuns/{dag_run_id}")
    @Allowed(Role.USER)
    public DagRun patch(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                        UpdateDagRunState body) {
        Params.body(body);
        RunState state;
        try {
            state = body.state() == null ? null : RunState.fromWire(body.state());
        } catch (IllegalArgumentException e) {
            state = null;
        }
        if (state == null || state == RunState.RUNNING) {
            throw ApiException.badRequest("{'state': ['Must be one of: success, failed, queued.']}");
        }
        return ApiMapper.run(service.markRun(dagId, runId, state));
    }

    @DELETE
    @Path("{dag_id}/dagRuns/{dag_run_id}")
    @Allowed(Role.USER)
    public Response delete(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId) {
        service.deleteRun(dagId, runId);
        return Response.noContent().build();
    }

    @POST
    @Path("{dag_id}/dagRuns/{dag_run_id}/clear")
    @Allowed(Role.USER)
    public Object clear(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                        ClearDagRun body) {
        Params.body(body);
        if (body.dryRun() == null || body.dryRun()) {
            return new TaskInstanceReferenceCollection(service.taskInstancesOf(dagId, runId).stream()
                    .map(ApiMapper::reference).toList());
        }
        return ApiMapper.run(service.clearRun(dagId, runId));
    }

    private RunRecord find(String dagId, String runId) {
        return runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
    }
}
