package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Triggers a DAG with a conf from a form: the same manual trigger the REST API makes. */
@Path("/dags/{dag_id}/trigger")
@Produces(MediaType.TEXT_HTML)
public class TriggerResource {
    private final DagStore dags;
    private final RunService service;

    public TriggerResource(DagStore dags, RunService service) {
        this.dags = dags;
        this.service = service;
    }

    @GET
    @Allowed(Role.USER)
    public TriggerPage form(@PathParam("dag_id") String dagId, @Context SecurityContext security,
                            @Context ContainerRequestContext request) {
        DagRecord dag = find(dagId);
        Map<String, Object> defaults = dag.spec().params();
        String conf = TriggerForm.json(defaults.isEmpty() ? Map.of() : defaults);
        return page(dag, PageUser.of(security, request), fields(defaults, Map.of()), conf, "", "", null, null);
    }

    @POST
    @Allowed(Role.USER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response trigger(@PathParam("dag_id") String dagId, MultivaluedMap<String, String> form,
                            @Context SecurityContext security, @Context ContainerRequestContext request) {
        DagRecord dag = find(dagId);
        Map<String, Object> defaults = dag.spec().params();
        Map<String, String> paramFields = new LinkedHashMap<>();
        for (String name : defaults.keySet()) {
            String value = form.getFirst("param." + name);
            if (value != null) {
                paramFields.put(name, value);
            }
        }
        String conf = form.getFirst("conf");
        String runId = form.getFirst("run_id");
        String logicalDate = form.getFirst("logical_date");
        TriggerForm.Parsed parsed = TriggerForm.parse(conf, paramFields, defaults, runId, logicalDate);
        String problem = parsed.error();
        String field = parsed.field();
        int status = 400;
        if (parsed.ok()) {
            try {
                RunRecord run = service.triggerManual(new RunService.Trigger(dagId, parsed.runId(),
                        parsed.logicalDate(), null, parsed.conf(), null, null));
                return Response.seeOther(URI.create(DagGridResource.gridHref(dagId, run.runId(), null))).build();
            } catch (RunConflictException e) {
                problem = e.getMessage();
                field = e.kind() == RunConflictException.Kind.LOGICAL_DATE ? "logical_date" : "run_id";
                status = 409;
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
                field = "run_id";
            }
        }
        return Response.status(status).entity(page(dag, PageUser.of(security, request),
                fields(defaults, paramFields), conf == null ? "" : conf, runId == null ? "" : runId,
                logicalDate == null ? "" : logicalDate, problem, field)).build();
    }

    private DagRecord find(String dagId) {
        return dags.find(dagId).filter(DagRecord::active).orElseThrow(() -> new DagNotFoundException(dagId));
    }

    private static List<TriggerPage.ParamField> fields(Map<String, Object> defaults, Map<String, String> entered) {
        return defaults.entrySet().stream().map(e -> {
            Object v = e.getValue();
            String kind = v instanceof Number ? "number" : v instanceof Boolean ? "boolean"
                    : v instanceof String || v == null ? "text" : "json";
            return new TriggerPage.ParamField(e.getKey(), entered.getOrDefault(e.getKey(), TriggerForm.text(v)),
                    !"text".equals(kind), kind);
        }).toList();
    }

    private static TriggerPage page(DagRecord dag, PageUser user, List<TriggerPage.ParamField> fields, String conf,
                                    String runId, String logicalDate, String error, String field) {
        return new TriggerPage(user, dag.dagId(), dag.spec().description(), fields, conf, runId, logicalDate, error,
                field);
    }
}
