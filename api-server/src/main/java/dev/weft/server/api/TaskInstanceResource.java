package dev.weft.server.api;

import dev.weft.api.model.ClearTaskInstances;
import dev.weft.api.model.ListTaskInstanceForm;
import dev.weft.api.model.LogContent;
import dev.weft.api.model.TaskInstance;
import dev.weft.api.model.TaskInstanceCollection;
import dev.weft.api.model.TaskInstanceReference;
import dev.weft.api.model.TaskInstanceReferenceCollection;
import dev.weft.api.model.UpdateTaskInstance;
import dev.weft.api.model.UpdateTaskInstancesState;
import dev.weft.engine.runs.RecursiveClear;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.server.errors.ApiException;
import dev.weft.spi.TaskState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Task instances: list, read, mark, logs, and the DAG-level clear and set-state actions. */
@Path("/api/v1/dags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskInstanceResource {
    /** Lines per log chunk when {@code full_content} is not asked for. */
    static final int LOG_CHUNK = 10_000;
    /** Set on a recursive clear's answer when its depth limit left links between DAGs unfollowed. */
    public static final String DEPTH_LIMIT_HEADER = "Weft-Recursion-Depth-Limit-Reached";
    private static final Set<TaskState> MARKABLE = Set.of(TaskState.SUCCESS, TaskState.FAILED, TaskState.SKIPPED);

    private final RunService service;
    private final TaskInstanceStore taskInstances;
    private final QueryStore queries;
    private final LogStore logs;
    private final LogTokens tokens;

    public TaskInstanceResource(RunService service, TaskInstanceStore taskInstances, QueryStore queries,
                                LogStore logs, LogTokens tokens) {
        this.service = service;
        this.taskInstances = taskInstances;
        this.queries = queries;
        this.logs = logs;
        this.tokens = tokens;
    }

    @GET
    @Path("{dag_id}/dagRuns/{dag_run_id}/taskInstances")
    @Allowed(Role.VIEWER)
    public TaskInstanceCollection list(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                                       @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                       @QueryParam("execution_date_gte") String executionGte,
                                       @QueryParam("execution_date_lte") String executionLte,
                                       @QueryParam("start_date_gte") String startGte,
                                       @QueryParam("start_date_lte") String startLte,
                                       @QueryParam("end_date_gte") String endGte,
                                       @QueryParam("end_date_lte") String endLte,
                                       @QueryParam("updated_at_gte") String updatedGte,
                                       @QueryParam("updated_at_lte") String updatedLte,
                                       @QueryParam("duration_gte") String durationGte,
                                       @QueryParam("duration_lte") String durationLte,
                                       @QueryParam("state") List<String> state, @QueryParam("pool") List<String> pool,
                                       @QueryParam("queue") List<String> queue,
                                       @QueryParam("executor") List<String> executor) {
        var filter = new QueryStore.TaskInstanceFilter("~".equals(dagId) ? null : List.of(dagId),
                "~".equals(runId) ? null : List.of(runId), null,
                Params.range("execution_date", executionGte, executionLte),
                Params.range("start_date", startGte, startLte), Params.range("end_date", endGte, endLte),
                Params.range("updated_at", updatedGte, updatedLte), Params.number("duration_gte", durationGte),
                Params.number("duration_lte", durationLte), states(Params.list(state)), Params.list(pool),
                nothingMatches(Params.list(queue), Params.list(executor)));
        return page(filter, Params.limit(limit), Params.offset(offset));
    }

    @POST
    @Path("~/dagRuns/~/taskInstances/list")
    @Allowed(Role.VIEWER)
    public TaskInstanceCollection listBatch(ListTaskInstanceForm body) {
        Params.body(body);
        var filter = new QueryStore.TaskInstanceFilter(emptyAsNull(body.dagIds()), emptyAsNull(body.dagRunIds()),
                emptyAsNull(body.taskIds()),
                Params.range("execution_date", body.executionDateGte(), body.executionDateLte()),
                Params.range("start_date", body.startDateGte(), body.startDateLte()),
                Params.range("end_date", body.endDateGte(), body.endDateLte()), QueryStore.Range.ANY,
                body.durationGte(), body.durationLte(), states(emptyAsNull(body.state())), emptyAsNull(body.pool()),
                nothingMatches(emptyAsNull(body.queue()), emptyAsNull(body.executor())));
        return page(filter, Params.MAX_LIMIT, 0);
    }

    private TaskInstanceCollection page(QueryStore.TaskInstanceFilter filter, int limit, int offset) {
        QueryStore.Page<TaskInstanceRecord> page = queries.taskInstances(filter, limit, offset);
        return new TaskInstanceCollection(page.items().stream().map(ApiMapper::taskInstance).toList(), page.total());
    }

    private static <T> List<T> emptyAsNull(List<T> values) {
        return values == null || values.isEmpty() ? null : values;
    }

    /** Every task instance is in queue {@code default} and runs on Weft's one executor (null in Airflow's terms). */
    private static boolean nothingMatches(List<String> queues, List<String> executors) {
        return (queues != null && !queues.contains("default")) || executors != null;
    }

    /** State filter values as stored: Airflow's {@code none} and {@code null} are the not-yet-scheduled state. */
    private static List<String> states(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add("null".equalsIgnoreCase(v) ? "none" : v.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    @GET
    @Path("{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}")
    @Allowed(Role.VIEWER)
    public TaskInstance get(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                            @PathParam("task_id") String taskId) {
        return ApiMapper.taskInstance(find(dagId, runId, taskId));
    }

    @PATCH
    @Path("{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}")
    @Allowed(Role.USER)
    public TaskInstanceReference patch(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                                       @PathParam("task_id") String taskId, UpdateTaskInstance body) {
        Params.body(body);
        TaskState state = markable(body.newState());
        TaskInstanceRecord ti = find(dagId, runId, taskId);
        service.markTasks(new RunService.MarkTasks(dagId, taskId, runId, null, false, false, false, false, state,
                body.dryRun() == null || body.dryRun()));
        return ApiMapper.reference(ti);
    }

    @POST
    @Path("{dag_id}/updateTaskInstancesState")
    @Allowed(Role.USER)
    public TaskInstanceReferenceCollection setState(@PathParam("dag_id") String dagId,
                                                    UpdateTaskInstancesState body) {
        Params.body(body);
        if (body.taskId() == null) {
            throw ApiException.badRequest("{'task_id': ['Missing data for required field.']}");
        }
        TaskState state = markable(body.newState());
        if ((body.executionDate() == null) == (body.dagRunId() == null)) {
            throw ApiException.badRequest("Exactly one of execution_date or dag_run_id must be provided");
        }
        List<TaskInstanceRecord> changed = service.markTasks(new RunService.MarkTasks(dagId, body.taskId(),
                body.dagRunId(), Params.date("execution_date", body.executionDate()), isTrue(body.includeUpstream()),
                isTrue(body.includeDownstream()), isTrue(body.includePast()), isTrue(body.includeFuture()), state,
                body.dryRun() == null || body.dryRun()));
        return new TaskInstanceReferenceCollection(changed.stream().map(ApiMapper::reference).toList());
    }

    @POST
    @Path("{dag_id}/clearTaskInstances")
    @Allowed(Role.USER)
    public Response clear(@PathParam("dag_id") String dagId, @QueryParam("recursion_depth") String recursionDepth,
                          ClearTaskInstances body) {
        Params.body(body);
        if (body.taskIds() != null && body.taskIds().isEmpty()) {
            throw ApiException.badRequest("{'task_ids': ['Shorter than minimum length 1.']}");
        }
        RunService.ClearRequest request = new RunService.ClearRequest(dagId, body.taskIds(),
                Params.date("start_date", body.startDate()), Params.date("end_date", body.endDate()),
                body.dagRunId(), body.onlyFailed() == null || body.onlyFailed(), isTrue(body.onlyRunning()),
                isTrue(body.includeUpstream()), isTrue(body.includeDownstream()), isTrue(body.includePast()),
                isTrue(body.includeFuture()), isTrue(body.resetDagRuns()), body.dryRun() == null || body.dryRun());
        // include_parentdag changes nothing: Weft has no sub-DAGs. include_subdags follows the links between DAGs
        // (triggered runs, external-task sensors), as Airflow's ExternalTaskMarker does, without marker code.
        if (!isTrue(body.includeSubdags())) {
            return Response.ok(references(service.clear(request))).build();
        }
        Integer depth = recursionDepth == null || recursionDepth.isBlank() ? null
                : Params.integer("recursion_depth", recursionDepth);
        RecursiveClear.Plan plan = service.clearRecursively(request, RecursiveClear.depth(depth));
        Response.ResponseBuilder response = Response.ok(references(plan.taskInstances()));
        // The body stays Airflow's: what the walk left out at the depth limit is said in a header.
        if (plan.depthLimitReached()) {
            response.header(DEPTH_LIMIT_HEADER, String.join("; ", plan.notFollowed()));
        }
        return response.build();
    }

    private static TaskInstanceReferenceCollection references(List<TaskInstanceRecord> tis) {
        return new TaskInstanceReferenceCollection(tis.stream().map(ApiMapper::reference).toList());
    }

    @GET
    @Path("{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Allowed(Role.VIEWER)
    public Response logs(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                         @PathParam("task_id") String taskId, @PathParam("task_try_number") String tryNumber,
                         @QueryParam("full_content") String fullContent, @QueryParam("map_index") String mapIndex,
                         @QueryParam("token") String token, @Context HttpHeaders headers) {
        int attempt = Params.integer("task_try_number", tryNumber);
        TaskInstanceRecord ti = find(dagId, runId, taskId);
        if (mapIndex != null && !mapIndex.isBlank() && Params.integer("map_index", mapIndex) != -1) {
            throw ApiException.notFound("TaskInstance not found", "Task instance did not exist in the DB");
        }
        long after = token == null || token.isBlank() ? 0 : tokens.read(token).logPos();
        boolean full = Boolean.TRUE.equals(Params.bool("full_content", fullContent));
        StringBuilder content = new StringBuilder();
        long last = after;
        boolean more;
        do {
            LogStore.Chunk chunk = logs.read(ti.id(), attempt, last, LOG_CHUNK);
            for (String line : chunk.lines()) {
                content.append(line).append('\n');
            }
            more = !chunk.atEnd();
            last = chunk.lastId();
        } while (full && more);
        boolean tryOver = attempt < ti.tryNumber() || ti.state().isFinished();
        if (prefersText(headers)) {
            return Response.ok(content.toString(), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
        }
        String next = tokens.write(new LogTokens.Position(last, tryOver && !more));
        return Response.ok(new LogContent(next, content.toString()), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static boolean prefersText(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !type.isWildcardType()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static TaskState markable(String name) {
        TaskState state = null;
        try {
            state = name == null ? null : TaskState.fromWire(name);
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        if (state == null || !MARKABLE.contains(state)) {
            throw ApiException.badRequest("{'new_state': ['Must be one of: success, failed, skipped.']}");
        }
        return state;
    }

    private TaskInstanceRecord find(String dagId, String runId, String taskId) {
        return taskInstances.find(dagId, runId, taskId).orElseThrow(() -> ApiException.notFound(
                "TaskInstance not found", "Task instance not found"));
    }
}
