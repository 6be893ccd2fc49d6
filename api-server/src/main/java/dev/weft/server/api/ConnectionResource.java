package dev.weft.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.model.Connection;
import dev.weft.api.model.ConnectionCollection;
import dev.weft.api.model.ConnectionCollectionItem;
import dev.weft.api.model.ConnectionTest;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.connections.ConnectionSpec;
import dev.weft.engine.connections.ConnectionTester;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.store.ConnectionStore;
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

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Airflow's Connections (Op and Admin, as in Airflow). The password never leaves the server: responses leave it out
 * and show the extra's sensitive values as {@code ***}; {@code ***} sent back there keeps the stored value, and a
 * body without {@code password} keeps the stored password.
 */
@Path("/api/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectionResource {
    private static final Set<String> FIELDS = Set.of("connection_id", "conn_type", "description", "host", "login",
            "schema", "port", "password", "extra");
    private static final Map<String, ConnectionStore.Order> ORDERS = Map.of("connection_id",
            ConnectionStore.Order.CONNECTION_ID, "conn_type", ConnectionStore.Order.CONN_TYPE, "description",
            ConnectionStore.Order.DESCRIPTION, "host", ConnectionStore.Order.HOST, "port", ConnectionStore.Order.PORT,
            "id", ConnectionStore.Order.ID);

    private final Connections connections;
    private final ConnectionTester tester;
    private final ObjectMapper mapper;

    public ConnectionResource(Connections connections, ConnectionTester tester, ObjectMapper mapper) {
        this.connections = connections;
        this.tester = tester;
        this.mapper = mapper;
    }

    @GET
    @Allowed(Role.OP)
    public ConnectionCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                     @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, ORDERS.keySet(), "id");
        Connections.Page page = connections.list(ORDERS.get(paging.sort()), paging.descending(), paging.limit(),
                paging.offset());
        return new ConnectionCollection(page.connections().stream().map(c -> new ConnectionCollectionItem(
                c.connId(), c.connType(), c.description(), c.host(), c.login(), c.schema(), c.port())).toList(),
                page.total());
    }

    @POST
    @Allowed(Role.OP)
    public Connection create(Connection body) {
        Params.body(body);
        if (!connections.create(ConnectionSpec.of(body))) {
            throw ApiException.conflict("Connection already exist. ID: " + body.connectionId());
        }
        return get(body.connectionId());
    }

    @GET
    @Path("{connection_id}")
    @Allowed(Role.OP)
    public Connection get(@PathParam("connection_id") String connId) {
        return shown(find(connId));
    }

    /** Without {@code update_mask}, the fields the body has; with it, those it names. */
    @PATCH
    @Path("{connection_id}")
    @Allowed(Role.OP)
    public Connection patch(@PathParam("connection_id") String connId,
                            @QueryParam("update_mask") List<String> updateMask, Map<String, Object> body) {
        Params.body(body);
        Set<String> unknown = new TreeSet<>(body.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("Unknown field(s) " + unknown + "; a connection has " + new TreeSet<>(FIELDS));
        }
        Connection given = mapper.convertValue(body, Connection.class);
        if (given.connectionId() != null && !given.connectionId().equals(connId)) {
            throw ApiException.badRequest("The connection_id cannot be updated.");
        }
        ConnectionSpec current = find(connId);
        List<String> mask = Params.list(updateMask);
        Set<String> fields = mask == null ? body.keySet() : Set.copyOf(mask);
        for (String field : fields) {
            if (!FIELDS.contains(field) || "connection_id".equals(field) && mask != null) {
                throw ApiException.badRequest("'" + field + "' is unknown or cannot be updated.");
            }
        }
        ConnectionSpec updated = new ConnectionSpec(connId,
                fields.contains("conn_type") ? given.connType() : current.connType(),
                fields.contains("description") ? given.description() : current.description(),
                fields.contains("host") ? given.host() : current.host(),
                fields.contains("schema") ? given.schema() : current.schema(),
                fields.contains("login") ? given.login() : current.login(),
                fields.contains("password") ? given.password() : current.password(),
                fields.contains("port") ? given.port() : current.port(),
                fields.contains("extra") ? connections.keepMaskedExtra(given.extra(), current.extra())
                        : current.extra());
        if (!connections.update(updated)) {
            throw notFound(connId);
        }
        return get(connId);
    }

    @DELETE
    @Path("{connection_id}")
    @Allowed(Role.OP)
    public Response delete(@PathParam("connection_id") String connId) {
        if (!connections.delete(connId)) {
            throw notFound(connId);
        }
        return Response.noContent().build();
    }

    /**
     * Tests the connection in the body. For a stored connection of that id, a body without a password and
     * {@code ***} in the extra stand for the stored values, so a shown connection can be tested as it is.
     */
    @POST
    @Path("test")
    @Allowed(Role.OP)
    public ConnectionTest test(Connection body) {
        Params.body(body);
        String id = body.connectionId() == null || body.connectionId().isBlank() ? "test" : body.connectionId();
        ConnectionSpec tested = connections.withStoredSecrets(ConnectionSpec.of(body).withId(id));
        Connections.validate(tested);
        // A type that cannot be tested is an IllegalArgumentException: 400 with the testable types.
        ConnectionTester.Result result = tester.test(tested.toConnection());
        return new ConnectionTest(result.ok(), result.message());
    }

    private Connection shown(ConnectionSpec c) {
        return new Connection(c.connId(), c.connType(), c.description(), c.host(), c.login(), c.schema(), c.port(),
                null, connections.shownExtra(c.extra()));
    }

    private ConnectionSpec find(String connId) {
        return connections.find(connId).orElseThrow(() -> notFound(connId));
    }

    private static ApiException notFound(String connId) {
        return ApiException.notFound("Connection not found",
                "The Connection with connection_id: `" + connId + "` was not found");
    }
}
