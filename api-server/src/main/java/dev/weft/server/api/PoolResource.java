package dev.weft.server.api;

import dev.weft.api.model.Pool;
import dev.weft.api.model.PoolBody;
import dev.weft.api.model.PoolCollection;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Pools (Op and Admin, as in Airflow). */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolResource {
    private static final String DEFAULT_POOL = "default_pool";
    private static final Set<String> FIELDS = Set.of("name", "slots", "description", "include_deferred");
    private static final Map<String, Comparator<Pool>> ORDER = Map.of("name", Comparator.comparing(Pool::name),
            "slots", Comparator.comparingInt(Pool::slots));

    private final PoolStore pools;

    public PoolResource(PoolStore pools) {
        this.pools = pools;
    }

    @GET
    @Allowed(Role.OP)
    public PoolCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                               @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, ORDER.keySet(), "name");
        Comparator<Pool> order = ORDER.get(paging.sort());
        List<Pool> all = all().stream().sorted(paging.descending() ? order.reversed() : order).toList();
        return new PoolCollection(all.stream().skip(paging.offset()).limit(paging.limit()).toList(), all.size());
    }

    @POST
    @Allowed(Role.OP)
    public Pool create(PoolBody body) {
        Params.body(body);
        List<String> missing = new ArrayList<>();
        if (body.name() == null) {
            missing.add("'name'");
        }
        if (body.slots() == null) {
            missing.add("'slots'");
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing required property(ies): " + missing);
        }
        validate(body.name(), body.slots());
        PoolStore.Pool pool = new PoolStore.Pool(body.name(), body.slots(), body.description(),
                Boolean.TRUE.equals(body.includeDeferred()));
        if (!pools.create(pool)) {
            throw ApiException.conflict("Pool: " + body.name() + " already exists");
        }
        return get(body.name());
    }

    @GET
    @Path("{pool_name}")
    @Allowed(Role.OP)
    public Pool get(@PathParam("pool_name") String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> notFound(name));
    }

    @PATCH
    @Path("{pool_name}")
    @Allowed(Role.OP)
    public Pool patch(@PathParam("pool_name") String name, @QueryParam("update_mask") List<String> updateMask,
                      PoolBody body) {
        Params.body(body);
        PoolStore.Pool current = pools.find(name).orElseThrow(() -> notFound(name));
        List<String> mask = Params.list(updateMask);
        if (mask != null) {
            for (String field : mask) {
                if (!FIELDS.contains(field)) {
                    throw ApiException.badRequest("Invalid field: " + field + " in update mask");
                }
            }
        } else if (body.name() == null || body.slots() == null) {
            throw ApiException.badRequest("Missing required property(ies): "
                    + (body.name() == null ? body.slots() == null ? "['name', 'slots']" : "['name']" : "['slots']"));
        }
        Set<String> fields = mask == null ? FIELDS : Set.copyOf(mask);
        if (DEFAULT_POOL.equals(name)) {
            if (fields.contains("name") && body.name() != null && !DEFAULT_POOL.equals(body.name())) {
                throw ApiException.badRequest("Default Pool's name can't be modified");
            }
            if (mask != null && !Set.of("slots", "include_deferred").containsAll(fields)) {
                throw ApiException.badRequest("Only slots and included_deferred can be modified on Default Pool");
            }
        }
        String newName = fields.contains("name") && body.name() != null ? body.name() : current.name();
        int slots = fields.contains("slots") && body.slots() != null ? body.slots() : current.slots();
        validate(newName, slots);
        PoolStore.Pool updated = new PoolStore.Pool(newName, slots,
                fields.contains("description") ? body.description() : current.description(),
                fields.contains("include_deferred") && body.includeDeferred() != null ? body.includeDeferred()
                        : current.includeDeferred());
        if (!newName.equals(name) && pools.find(newName).isPresent()) {
            throw ApiException.conflict("Pool: " + newName + " already exists");
        }
        if (!pools.update(name, updated)) {
            throw notFound(name);
        }
        return get(newName);
    }

    @DELETE
    @Path("{pool_name}")
    @Allowed(Role.OP)
    public Response delete(@PathParam("pool_name") String name) {
        if (DEFAULT_POOL.equals(name)) {
            throw ApiException.badRequest("Default Pool can't be deleted");
        }
        if (!pools.delete(name)) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    private static void validate(String name, int slots) {
        if (name.isBlank()) {
            throw ApiException.badRequest("{'name': ['Pool name must not be empty.']}");
        }
        if (slots < 0) {
            throw ApiException.badRequest("{'slots': ['Must be greater than or equal to 0.']}");
        }
    }

    private List<Pool> all() {
        Map<String, PoolStore.PoolUsage> usage = pools.usage().stream()
                .collect(Collectors.toMap(PoolStore.PoolUsage::name, Function.identity()));
        return pools.list().stream().map(p -> ApiMapper.pool(p, usage.get(p.name()))).toList();
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Pool not found", "Pool with name:'" + name + "' not found");
    }
}
