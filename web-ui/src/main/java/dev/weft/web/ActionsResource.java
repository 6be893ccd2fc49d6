package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.runs.RecursiveClear;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.List;

/**
 * The grid's actions, as forms: clear (a dry run lists what would be cleared, then a second post clears), mark
 * success or failed, delete a run. Each calls the run service the REST API calls, with the role its endpoint needs.
 */
// At the root, like DagsResource: a class path of /dags/{dag_id} would also take /dags/{dag_id}/pause (JAX-RS picks the
// root resource with the longest matching path first) and answer 404 for it.
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class ActionsResource {
    private final RunService service;

    public ActionsResource(RunService service) {
        this.service = service;
    }

    /**
     * Clears a task instance (with its downstream tasks by default, its upstream ones or only failed ones as asked)
     * or, without {@code task_id}, a whole run; the runs are queued again as Airflow's UI does. With {@code recursive}
     * it also clears what depends on them in other DAGs (the API's include_subdags). Without {@code confirmed}
     * nothing changes: the page lists the task instances the clear would take.
     */
    @POST
    @Path("dags/{dag_id}/clear")
    @Allowed(Role.USER)
    public Response clear(@PathParam("dag_id") String dagId, @FormParam("run_id") String runId,
                          @FormParam("task_id") String taskId, @FormParam("downstream") boolean downstream,
                          @FormParam("upstream") boolean upstream, @FormParam("only_failed") boolean onlyFailed,
                          @FormParam("recursive") boolean recursive, @FormParam("confirmed") boolean confirmed,
                          @Context SecurityContext security, @Context ContainerRequestContext request) {
        String run = required("run_id", runId);
        String task = taskId == null || taskId.isBlank() ? null : taskId;
        RunService.ClearRequest clear = new RunService.ClearRequest(dagId, task == null ? null : List.of(task), null,
                null, run, onlyFailed, false, task != null && upstream, task != null && downstream, false, false, true,
                !confirmed);
        RecursiveClear.Plan plan = recursive ? service.clearRecursively(clear, RecursiveClear.DEFAULT_DEPTH) : null;
        List<TaskInstanceRecord> selected = plan == null ? service.clear(clear) : plan.taskInstances();
        if (confirmed) {
            return Response.seeOther(URI.create(DagGridResource.gridHref(dagId, run, task))).build();
        }
        List<ClearPage.Item> items = plan == null
                ? selected.stream().map(ti -> item(ti, null)).toList()
                : plan.affected().stream().map(a -> item(a.taskInstance(), a.from() == null ? "selected"
                        : a.reachedBy() + " from " + a.from().dagId() + "." + a.from().taskId())).toList();
        return Response.ok(new ClearPage(PageUser.of(security, request), dagId, run, task, downstream, upstream,
                onlyFailed, items, DagGridResource.gridHref(dagId, run, task), recursive,
                RecursiveClear.DEFAULT_DEPTH, plan == null ? List.of() : plan.notFollowed())).build();
    }

    private static ClearPage.Item item(TaskInstanceRecord ti, String reachedBy) {
        return new ClearPage.Item(ti.dagId(), ti.taskId(), ti.runId(),
                StateStyle.of(ti.state() == TaskState.NONE ? null : ti.state().wireName()), reachedBy);
    }

    /** Marks a task instance (with {@code task_id}) or a whole run success or failed. */
    @POST
    @Path("dags/{dag_id}/mark")
    @Allowed(Role.USER)
    public Response mark(@PathParam("dag_id") String dagId, @FormParam("run_id") String runId,
                         @FormParam("task_id") String taskId, @FormParam("state") String state) {
        String run = required("run_id", runId);
        if (!"success".equals(state) && !"failed".equals(state)) {
            throw new BadRequestException("state must be success or failed");
        }
        String task = taskId == null || taskId.isBlank() ? null : taskId;
        if (task == null) {
            service.markRun(dagId, run, RunState.fromWire(state));
        } else {
            service.markTasks(new RunService.MarkTasks(dagId, task, run, null, false, false, false, false,
                    TaskState.fromWire(state), false));
        }
        return Response.seeOther(URI.create(DagGridResource.gridHref(dagId, run, task))).build();
    }

    /** Deletes a run with its task instances and logs: Admin only in the UI. */
    @POST
    @Path("dags/{dag_id}/delete-run")
    @Allowed(Role.ADMIN)
    public Response deleteRun(@PathParam("dag_id") String dagId, @FormParam("run_id") String runId) {
        service.deleteRun(dagId, required("run_id", runId));
        return Response.seeOther(URI.create(DagGridResource.gridHref(dagId, null, null))).build();
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(name + " is required");
        }
        return value;
    }
}
