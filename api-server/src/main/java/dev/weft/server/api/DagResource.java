package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.model.Dag;
import dev.weft.api.model.DagPatch;
import dev.weft.api.model.Task;
import dev.weft.api.model.TaskCollection;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** DAGs and their tasks: list, read, pause and unpause. */
@Path("/api/v1/dags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DagResource {
    private static final Map<String, Comparator<Task>> TASK_ORDER = Map.of(
            "task_id", Comparator.comparing(Task::taskId),
            "priority_weight", Comparator.comparingInt(Task::priorityWeight),
            "retries", Comparator.comparingInt(Task::retries),
            "pool", Comparator.comparing(Task::pool),
            "trigger_rule", Comparator.comparing(Task::triggerRule),
            "start_date", Comparator.comparing(Task::startDate, Comparator.nullsFirst(Comparator.naturalOrder())));

    private final DagStore dags;
    private final QueryStore queries;
    private final DagCatalog catalog;
    private final PluginRegistry plugins;
    private final ObjectMapper mapper;

    public DagResource(DagStore dags, QueryStore queries, DagCatalog catalog, PluginRegistry plugins,
                       ObjectMapper mapper) {
        this.dags = dags;
        this.queries = queries;
        this.catalog = catalog;
        this.plugins = plugins;
        this.mapper = mapper;
    }

    @GET
    @Allowed(Role.VIEWER)
    public JsonNode list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                         @QueryParam("order_by") String orderBy, @QueryParam("tags") List<String> tags,
                         @QueryParam("only_active") String onlyActive, @QueryParam("paused") String paused,
                         @QueryParam("fields") List<String> fields, @QueryParam("dag_id_pattern") String pattern) {
        QueryStore.Paging paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy,
                QueryStore.DAG_SORTS, "dag_id");
        Boolean active = Params.bool("only_active", onlyActive);
        var filter = new QueryStore.DagFilter(pattern == null || pattern.isEmpty() ? null : pattern,
                Params.list(tags), active == null || active, Params.bool("paused", paused));
        QueryStore.Page<DagRecord> page = queries.dags(filter, paging);
        ObjectNode result = mapper.createObjectNode();
        ArrayNode items = result.putArray("dags");
        for (DagRecord record : page.items()) {
            items.add(Params.fields(mapper, dag(record), fields));
        }
        result.put("total_entries", page.total());
        return result;
    }

    @GET
    @Path("{dag_id}")
    @Allowed(Role.VIEWER)
    public JsonNode get(@PathParam("dag_id") String dagId, @QueryParam("fields") List<String> fields) {
        return Params.fields(mapper, dag(find(dagId)), fields);
    }

    @PATCH
    @Path("{dag_id}")
    @Allowed(Role.USER)
    public Dag patch(@PathParam("dag_id") String dagId, @QueryParam("update_mask") List<String> updateMask,
                     DagPatch body) {
        Params.body(body);
        List<String> mask = Params.list(updateMask);
        if (mask != null && !mask.equals(List.of("is_paused"))) {
            throw ApiException.badRequest("Only `is_paused` field can be updated through the REST API");
        }
        if (body.isPaused() == null) {
            throw ApiException.badRequest("{'is_paused': ['Field may not be null.']}");
        }
        find(dagId);
        dags.setPaused(dagId, body.isPaused());
        catalog.invalidate(dagId);
        return dag(find(dagId));
    }

    @GET
    @Path("{dag_id}/details")
    @Allowed(Role.VIEWER)
    public JsonNode details(@PathParam("dag_id") String dagId, @QueryParam("fields") List<String> fields) {
        DagRecord record = find(dagId);
        return Params.fields(mapper, ApiMapper.details(record, catalog.get(record)), fields);
    }

    @GET
    @Path("{dag_id}/tasks")
    @Allowed(Role.VIEWER)
    public TaskCollection tasks(@PathParam("dag_id") String dagId, @QueryParam("order_by") String orderBy) {
        CompiledDag dag = catalog.get(find(dagId));
        List<Task> tasks = dag.spec().tasks().stream().map(t -> ApiMapper.task(dag, t, plugins)).toList();
        if (orderBy != null && !orderBy.isBlank()) {
            boolean descending = orderBy.startsWith("-");
            String field = descending ? orderBy.substring(1) : orderBy;
            Comparator<Task> order = TASK_ORDER.get(field);
            if (order == null) {
                throw ApiException.badRequest("'Task' object has no attribute '" + field + "'");
            }
            tasks = tasks.stream().sorted(descending ? order.reversed() : order).toList();
        }
        return new TaskCollection(tasks);
    }

    @GET
    @Path("{dag_id}/tasks/{task_id}")
    @Allowed(Role.VIEWER)
    public Task task(@PathParam("dag_id") String dagId, @PathParam("task_id") String taskId) {
        CompiledDag dag = catalog.get(find(dagId));
        return dag.spec().task(taskId).map(t -> ApiMapper.task(dag, t, plugins))
                .orElseThrow(() -> ApiException.notFound("Task not found", "Task with id '" + taskId
                        + "' not found"));
    }

    private DagRecord find(String dagId) {
        return dags.find(dagId).orElseThrow(() -> ApiException.notFound("DAG not found",
                "DAG with dag_id: '" + dagId + "' not found"));
    }

    private Dag dag(DagRecord record) {
        return ApiMapper.dag(record, catalog.get(record));
    }

    static <T, R> List<R> map(List<T> items, Function<T, R> f) {
        return items.stream().map(f).toList();
    }
}
