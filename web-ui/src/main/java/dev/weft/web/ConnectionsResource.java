package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.connections.ConnectionSpec;
import dev.weft.engine.connections.ConnectionTester;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.store.ConnectionStore;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Admin → Connections: list, add, edit, delete and test, through the engine's {@link Connections} and
 * {@link ConnectionTester} as the REST API. Every page and form needs the Op role, as every
 * {@code /api/v1/connections} endpoint does. The password never reaches a page: an edit with the password field left
 * empty keeps the stored one, and {@code ***} left in the extra keeps the stored value there (the API's rule).
 */
@Path("/admin/connections")
@Produces(MediaType.TEXT_HTML)
public class ConnectionsResource {
    private final Connections connections;
    private final ConnectionTester tester;

    public ConnectionsResource(Connections connections, ConnectionTester tester) {
        this.connections = connections;
        this.tester = tester;
    }

    @GET
    @Allowed(Role.OP)
    public ConnectionsPage list(@QueryParam("search") String search, @Context SecurityContext security,
                                @Context ContainerRequestContext request) {
        String needle = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        List<ConnectionsPage.Row> rows = connections.list(ConnectionStore.Order.CONNECTION_ID, false,
                Integer.MAX_VALUE, 0).connections().stream()
                .filter(c -> needle.isEmpty() || Stream.of(c.connId(), c.connType(), c.host(), c.description())
                        .anyMatch(f -> f != null && f.toLowerCase(Locale.ROOT).contains(needle)))
                .map(c -> new ConnectionsPage.Row(c.connId(), c.connType(), c.host(), c.port(), c.schema(), c.login(),
                        c.description(), ConnectionTester.TESTABLE.contains(c.connType()))).toList();
        return new ConnectionsPage(PageUser.of(security, request), search == null ? "" : search, rows);
    }

    @GET
    @Path("new")
    @Allowed(Role.OP)
    public ConnectionFormPage add(@Context SecurityContext security, @Context ContainerRequestContext request) {
        ConnectionForm empty = new ConnectionForm("", "", "", "", "", "", null, "", "");
        return new ConnectionFormPage(PageUser.of(security, request), false, empty, false, null, null);
    }

    @GET
    @Path("edit")
    @Allowed(Role.OP)
    public ConnectionFormPage edit(@QueryParam("conn_id") String connId, @Context SecurityContext security,
                                   @Context ContainerRequestContext request) {
        ConnectionSpec c = find(connId);
        ConnectionForm shown = new ConnectionForm(c.connId(), text(c.connType()), text(c.description()),
                text(c.host()), text(c.schema()), text(c.login()), null, c.port() == null ? "" : c.port().toString(),
                indented(connections.shownExtra(c.extra())));
        return new ConnectionFormPage(PageUser.of(security, request), true, shown, c.password() != null, null, null);
    }

    /** Adds ({@code editing} absent: the id must be new) or changes a connection; errors keep what was typed. */
    @POST
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(MultivaluedMap<String, String> form, @Context SecurityContext security,
                         @Context ContainerRequestContext request) {
        ConnectionForm typed = ConnectionForm.of(form);
        boolean editing = "true".equals(form.getFirst("editing"));
        ConnectionForm.Parsed parsed = typed.parse();
        String error = parsed.error();
        int status = 400;
        if (parsed.ok()) {
            try {
                if (editing && !connections.update(connections.withStoredSecrets(parsed.spec()))) {
                    throw notFound(typed.connId());
                }
                if (editing || connections.create(parsed.spec())) {
                    return Response.seeOther(URI.create("/admin/connections?search=" + Urls.encode(typed.connId())))
                            .build();
                }
                status = 409;
                error = "A connection with the id '" + typed.connId() + "' exists already: edit it from the list, or"
                        + " choose another id.";
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        if (typed.passwordTyped()) {
            error += " The password you typed is not sent back to the browser: type it again before saving.";
        }
        boolean stored = editing && connections.find(typed.connId()).map(c -> c.password() != null).orElse(false);
        return Response.status(status).entity(new ConnectionFormPage(PageUser.of(security, request), editing,
                typed.shown(), stored, error, parsed.field())).build();
    }

    @POST
    @Path("delete")
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@FormParam("conn_id") String connId) {
        if (connId == null || !connections.delete(connId)) {
            throw notFound(connId);
        }
        return Response.seeOther(URI.create("/admin/connections")).build();
    }

    /**
     * Tests the connection in the form (the REST API's {@code POST /connections/test}: for a stored id, an empty
     * password and {@code ***} in the extra use the stored values) or, with {@code stored}, the stored connection
     * of {@code conn_id}. The answer is a small page that the form shows in a frame, so what was typed stays.
     */
    @POST
    @Path("test")
    @Allowed(Role.OP)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(MultivaluedMap<String, String> form) {
        ConnectionSpec tested;
        if ("true".equals(form.getFirst("stored"))) {
            tested = find(form.getFirst("conn_id"));
        } else {
            ConnectionForm typed = ConnectionForm.of(form);
            ConnectionForm.Parsed parsed = typed.parse();
            if (!parsed.ok()) {
                return Response.status(400).entity(new ConnectionTestPage(false, parsed.error())).build();
            }
            String id = typed.connId().isEmpty() ? "test" : typed.connId();
            tested = connections.withStoredSecrets(parsed.spec().withId(id));
        }
        try {
            Connections.validate(tested);
            ConnectionTester.Result result = tester.test(tested.toConnection());
            return Response.ok(new ConnectionTestPage(result.ok(), result.message())).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(new ConnectionTestPage(false, e.getMessage())).build();
        }
    }

    private ConnectionSpec find(String connId) {
        return connections.find(connId == null ? "" : connId).orElseThrow(() -> notFound(connId));
    }

    private static NotFoundException notFound(String connId) {
        return new NotFoundException("There is no connection with the id '" + connId + "'");
    }

    /** An extra that is a JSON object, indented for the form; any other text as it is. */
    private static String indented(String extra) {
        if (extra == null) {
            return "";
        }
        try {
            return TriggerForm.json(TriggerForm.jsonObject(extra, "extra", "{}"));
        } catch (IllegalArgumentException notAnObject) {
            return extra;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
