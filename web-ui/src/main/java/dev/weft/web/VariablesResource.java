package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.variables.Variables;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Admin → Variables: list, add, edit, delete and import, through the engine's {@link Variables} as the REST API.
 * Every page and form needs the Op role, as every {@code /api/v1/variables} endpoint does (reading too: values are
 * often secrets). A sensitive value is shown as {@code ***}, and {@code ***} sent back keeps it.
 */
@Path("/admin/variables")
@Produces(MediaType.TEXT_HTML)
public class VariablesResource {
    /** Rows on one page; the filter finds the others. */
    static final int SHOWN = 500;

    private final Variables variables;

    public VariablesResource(Variables variables) {
        this.variables = variables;
    }

    @GET
    @Allowed(Role.OP)
    public VariablesPage list(@QueryParam("search") String search, @Context SecurityContext security,
                              @Context ContainerRequestContext request) {
        return listPage(PageUser.of(security, request), search);
    }

    @GET
    @Path("new")
    @Allowed(Role.OP)
    public VariableFormPage add(@Context SecurityContext security, @Context ContainerRequestContext request) {
        return new VariableFormPage(PageUser.of(security, request), false, "", "", "", false, null);
    }

    @GET
    @Path("edit")
    @Allowed(Role.OP)
    public VariableFormPage edit(@QueryParam("key") String key, @Context SecurityContext security,
                                 @Context ContainerRequestContext request) {
        Variables.Variable v = variables.find(key == null ? "" : key).orElseThrow(() -> notFound(key));
        return new VariableFormPage(PageUser.of(security, request), true, v.key(), variables.shown(v),
                v.description() == null ? "" : v.description(), variables.isSensitive(v.key()), null);
    }

    /** Adds ({@code editing} false: the key must be new) or changes a variable; errors keep what was typed. */
    @POST
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@FormParam("key") String key, @FormParam("value") String value,
                         @FormParam("description") String description, @FormParam("editing") boolean editing,
                         @Context SecurityContext security, @Context ContainerRequestContext request) {
        String k = key == null ? "" : key.strip();
        String v = value == null ? "" : value;
        String d = description == null || description.isBlank() ? null : description.strip();
        int status = 400;
        String error;
        if (!editing && variables.find(k).isPresent()) {
            status = 409;
            error = "A variable with the key '" + k + "' exists already: edit it from the list, or choose another key.";
        } else if (editing && variables.find(k).isEmpty()) {
            throw notFound(k);
        } else {
            try {
                variables.setShown(k, v, d);
                return Response.seeOther(URI.create("/admin/variables?search=" + Urls.encode(k))).build();
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        boolean sensitive = variables.isSensitive(k);
        if (sensitive && !SecretMasker.MASK.equals(v) && !v.isEmpty()) {
            // A secret typed into the form is not sent back to the browser.
            v = "";
            error += " The value of a sensitive key is not shown again: type it again.";
        }
        return Response.status(status).entity(new VariableFormPage(PageUser.of(security, request), editing, k, v,
                d == null ? "" : d, sensitive, error)).build();
    }

    @POST
    @Path("delete")
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@FormParam("key") String key) {
        if (key == null || !variables.delete(key)) {
            throw notFound(key);
        }
        return Response.seeOther(URI.create("/admin/variables")).build();
    }

    /** The CLI's {@code variables import}: a JSON object of keys and values, pasted or read from a file. */
    @POST
    @Path("import")
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response importJson(@FormParam("json") String json, @FormParam("on_existing") String onExisting,
                               @Context SecurityContext security, @Context ContainerRequestContext request) {
        PageUser user = PageUser.of(security, request);
        try {
            VariableImport.Result result = VariableImport.run(variables, VariableImport.parse(json),
                    VariableImport.OnExisting.of(onExisting));
            return Response.ok(listPage(user, null).imported(result.message())).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(listPage(user, null).importFailed(json, onExisting, e.getMessage()))
                    .build();
        }
    }

    private VariablesPage listPage(PageUser user, String search) {
        String needle = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        // Only keys and descriptions are searched: a search on values would let anyone probe a secret letter by letter.
        List<Variables.Variable> matching = variables.list(false, false, Integer.MAX_VALUE, 0).variables().stream()
                .filter(v -> needle.isEmpty() || v.key().toLowerCase(Locale.ROOT).contains(needle)
                        || v.description() != null && v.description().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        List<VariablesPage.Row> rows = matching.stream().limit(SHOWN)
                .map(v -> variables.find(v.key()).map(found -> new VariablesPage.Row(found.key(),
                        variables.shown(found), found.description(), variables.isSensitive(found.key()))))
                .flatMap(Optional::stream).toList();
        return new VariablesPage(user, search == null ? "" : search, rows, matching.size());
    }

    private static NotFoundException notFound(String key) {
        return new NotFoundException("There is no variable with the key '" + key + "'");
    }
}
