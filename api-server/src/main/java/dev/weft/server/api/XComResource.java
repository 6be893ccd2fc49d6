package dev.weft.server.api;

import dev.weft.api.model.XCom;
import dev.weft.api.model.XComCollection;
import dev.weft.api.model.XComCollectionItem;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.store.XComStore;
import dev.weft.engine.xcom.XComs;
import dev.weft.server.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Optional;

/**
 * Airflow's XCom entries of a task instance (read-only, Viewer and up as in Airflow), values shown with the secrets
 * their try had read masked ({@link XComs#shown}). {@code ~} for the DAG, run or task lists them across all. Weft has
 * no mapped tasks: every entry has {@code map_index} -1, and a filter on another index matches nothing.
 */
@Path("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries")
@Produces(MediaType.APPLICATION_JSON)
public class XComResource {
    private static final int NOT_MAPPED = -1;

    private final XComs xcoms;

    public XComResource(XComs xcoms) {
        this.xcoms = xcoms;
    }

    @GET
    @Allowed(Role.VIEWER)
    public XComCollection list(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                               @PathParam("task_id") String taskId, @QueryParam("map_index") String mapIndex,
                               @QueryParam("xcom_key") String key, @QueryParam("limit") String limit,
                               @QueryParam("offset") String offset) {
        int pageLimit = Params.limit(limit);
        int pageOffset = Params.offset(offset);
        if (!unmapped(mapIndex)) {
            return new XComCollection(List.of(), 0);
        }
        XComs.Page page = xcoms.list(new XComStore.Filter(any(dagId), any(runId), any(taskId), key), pageLimit,
                pageOffset);
        return new XComCollection(page.entries().stream().map(e -> new XComCollectionItem(e.key(),
                ApiMapper.date(e.timestamp()), ApiMapper.date(e.logicalDate()), NOT_MAPPED, e.taskId(), e.dagId()))
                .toList(), page.total());
    }

    @GET
    @Path("{xcom_key}")
    @Allowed(Role.VIEWER)
    public XCom get(@PathParam("dag_id") String dagId, @PathParam("dag_run_id") String runId,
                    @PathParam("task_id") String taskId, @PathParam("xcom_key") String key,
                    @QueryParam("map_index") String mapIndex, @QueryParam("deserialize") String deserialize,
                    @QueryParam("stringify") String stringify) {
        // deserialize only matters for Airflow's custom XCom backends: the value is JSON either way.
        Params.bool("deserialize", deserialize);
        boolean asString = !Boolean.FALSE.equals(Params.bool("stringify", stringify));
        Optional<XComStore.Entry> found = unmapped(mapIndex) ? xcoms.find(dagId, runId, taskId, key)
                : Optional.empty();
        XComStore.Entry entry = found.orElseThrow(() -> notFound(dagId, runId, taskId, key));
        Object value = xcoms.shown(entry);
        return new XCom(entry.key(), ApiMapper.date(entry.timestamp()), ApiMapper.date(entry.logicalDate()),
                NOT_MAPPED, entry.taskId(), entry.dagId(), asString ? XComs.str(value) : value);
    }

    private static boolean unmapped(String mapIndex) {
        return mapIndex == null || Params.integer("map_index", mapIndex) == NOT_MAPPED;
    }

    private static String any(String id) {
        return "~".equals(id) ? null : id;
    }

    private static ApiException notFound(String dagId, String runId, String taskId, String key) {
        return ApiException.notFound("XCom entry not found", "XCom entry with key: `" + key + "` not found in task"
                + " '" + taskId + "' of DAG run '" + runId + "' of DAG '" + dagId + "'");
    }
}
