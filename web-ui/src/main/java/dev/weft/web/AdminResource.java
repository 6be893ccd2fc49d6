package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.UserStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pools, plugins, import errors and users: read-only pages, each demanding the role its REST endpoint demands (pools:
 * Op; users: Admin). Changing pools and users stays with the API and the CLI.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class AdminResource {
    private final PoolStore pools;
    private final QueryStore queries;
    private final PluginRegistry plugins;
    private final DagRegistry registry;
    private final UserStore users;

    public AdminResource(PoolStore pools, QueryStore queries, PluginRegistry plugins, DagRegistry registry,
                         UserStore users) {
        this.pools = pools;
        this.queries = queries;
        this.plugins = plugins;
        this.registry = registry;
        this.users = users;
    }

    @GET
    @Path("pools")
    @Allowed(Role.OP)
    public AdminPage pools(@Context SecurityContext security, @Context ContainerRequestContext request) {
        Map<String, PoolStore.PoolUsage> usage = new HashMap<>();
        pools.usage().forEach(u -> usage.put(u.name(), u));
        Map<String, String> deadlocked = new HashMap<>();
        queries.sensorDeadlocks().stream().filter(d -> d.kind().equals("pool"))
                .forEach(d -> deadlocked.put(d.name(), Dates.format(d.since())));
        List<AdminPage.PoolRow> rows = pools.list().stream().map(p -> {
            PoolStore.PoolUsage u = usage.getOrDefault(p.name(), new PoolStore.PoolUsage(p.name(), p.slots(), 0, 0, 0, 0));
            return new AdminPage.PoolRow(p.name(), p.slots(), u.running(), u.queued(), u.scheduled(), u.open(),
                    p.description(), deadlocked.get(p.name()));
        }).toList();
        return AdminPage.pools(PageUser.of(security, request), rows);
    }

    @GET
    @Path("plugins")
    @Allowed(Role.VIEWER)
    public AdminPage plugins(@Context SecurityContext security, @Context ContainerRequestContext request) {
        List<AdminPage.PluginRow> loaded = plugins.plugins().stream().map(p -> new AdminPage.PluginRow(p.name(),
                p.version(), p.source(), String.join(", ", p.operators()), String.join(", ", p.sensors()),
                String.join(", ", p.notifiers()))).toList();
        List<AdminPage.Problem> failed = plugins.failures().stream()
                .map(f -> new AdminPage.Problem(f.plugin() + " (" + f.source() + ")", List.of(f.reason()))).toList();
        return AdminPage.plugins(PageUser.of(security, request), loaded, failed);
    }

    @GET
    @Path("import-errors")
    @Allowed(Role.VIEWER)
    public AdminPage importErrors(@Context SecurityContext security, @Context ContainerRequestContext request) {
        // One problem a line, each naming its line and column in the file.
        List<AdminPage.Problem> errors = registry.importErrors().stream()
                .map(e -> new AdminPage.Problem(e.source(), Arrays.asList(e.message().split("\n")))).toList();
        return AdminPage.importErrors(PageUser.of(security, request), errors);
    }

    @GET
    @Path("users")
    @Allowed(Role.ADMIN)
    public AdminPage users(@Context SecurityContext security, @Context ContainerRequestContext request) {
        List<AdminPage.UserRow> rows = users.list().stream().map(u -> new AdminPage.UserRow(u.username(),
                Role.of(u.role()).map(Role::displayName).orElse(u.role()),
                String.join(" ", List.of(nonNull(u.firstName()), nonNull(u.lastName()))).trim(), u.email(),
                u.active(), Dates.format(u.createdAt()), Dates.format(u.lockedUntil()))).toList();
        return AdminPage.users(PageUser.of(security, request), rows);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
