package dev.weft.server.api;

import dev.weft.api.model.Variable;
import dev.weft.api.model.VariableCollection;
import dev.weft.api.model.VariableCollectionItem;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.variables.Variables;
import dev.weft.server.errors.ApiException;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Airflow's Variables (Op and Admin, as in Airflow). The value of a sensitive key never leaves the server: responses
 * show {@code ***}, and {@code ***} sent back for such a key keeps the stored value (so a read, edit, write round
 * trip does not overwrite a secret with its mask).
 */
@Path("/api/v1/variables")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VariableResource {
    private static final Set<String> FIELDS = Set.of("key", "value", "description");

    private final Variables variables;

    public VariableResource(Variables variables) {
        this.variables = variables;
    }

    @GET
    @Allowed(Role.OP)
    public VariableCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                   @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, Set.of("key", "id"), "id");
        Variables.Page page = variables.list("id".equals(paging.sort()), paging.descending(), paging.limit(),
                paging.offset());
        return new VariableCollection(page.variables().stream()
                .map(v -> new VariableCollectionItem(v.key(), v.description())).toList(), page.total());
    }

    @POST
    @Allowed(Role.OP)
    public Variable create(Variable body) {
        requireKeyAndValue(body);
        variables.setShown(body.key(), body.value(), body.description());
        return get(body.key());
    }

    @GET
    @Path("{variable_key}")
    @Allowed(Role.OP)
    public Variable get(@PathParam("variable_key") String key) {
        Variables.Variable variable = find(key);
        return new Variable(variable.key(), variables.shown(variable), variable.description());
    }

    @PATCH
    @Path("{variable_key}")
    @Allowed(Role.OP)
    public Variable patch(@PathParam("variable_key") String key, @QueryParam("update_mask") List<String> updateMask,
                          Variable body) {
        requireKeyAndValue(body);
        if (!body.key().equals(key)) {
            throw ApiException.badRequest("key from request body doesn't match uri parameter");
        }
        Variables.Variable current = find(key);
        List<String> mask = Params.list(updateMask);
        Set<String> fields = mask == null ? FIELDS : Set.copyOf(mask);
        for (String field : fields) {
            if (!FIELDS.contains(field) || "key".equals(field) && mask != null) {
                throw ApiException.badRequest("'" + field + "' is unknown or cannot be updated.");
            }
        }
        variables.setShown(key, fields.contains("value") ? body.value() : current.value(),
                fields.contains("description") ? body.description() : current.description());
        return get(key);
    }

    @DELETE
    @Path("{variable_key}")
    @Allowed(Role.OP)
    public Response delete(@PathParam("variable_key") String key) {
        if (!variables.delete(key)) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    private static void requireKeyAndValue(Variable body) {
        Params.body(body);
        List<String> missing = new ArrayList<>();
        if (body.key() == null) {
            missing.add("'key'");
        }
        if (body.value() == null) {
            missing.add("'value'");
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing required property(ies): " + missing);
        }
    }

    private Variables.Variable find(String key) {
        return variables.find(key).orElseThrow(VariableResource::notFound);
    }

    private static ApiException notFound() {
        return ApiException.notFound("Variable not found", "Variable does not exist");
    }
}
