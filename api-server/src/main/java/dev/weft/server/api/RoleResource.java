package dev.weft.server.api;

import dev.weft.api.model.Role.ActionResource;
import dev.weft.api.model.Role.Named;
import dev.weft.api.model.RoleCollection;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The four fixed roles and what each may do, in Airflow's (action, resource) terms. */
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
public class RoleResource {
    @GET
    @Allowed(Role.ADMIN)
    public RoleCollection list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                               @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, List.of("name"), "name");
        Comparator<dev.weft.api.model.Role> order = Comparator.comparing(dev.weft.api.model.Role::name);
        List<dev.weft.api.model.Role> all = Arrays.stream(Role.values()).map(RoleResource::describe)
                .sorted(paging.descending() ? order.reversed() : order).toList();
        return new RoleCollection(all.stream().skip(paging.offset()).limit(paging.limit()).toList(), all.size());
    }

    static dev.weft.api.model.Role describe(Role role) {
        List<ActionResource> actions = new ArrayList<>();
        for (String resource : List.of("DAGs", "DAG Runs", "Task Instances", "Task Logs", "Plugins",
                "ImportError")) {
            actions.add(permission("can_read", resource));
        }
        if (role.includes(Role.USER)) {
            for (String resource : List.of("DAGs", "DAG Runs", "Task Instances")) {
                actions.add(permission("can_edit", resource));
            }
            actions.add(permission("can_create", "DAG Runs"));
            actions.add(permission("can_delete", "DAG Runs"));
        }
        if (role.includes(Role.OP)) {
            for (String action : List.of("can_read", "can_create", "can_edit", "can_delete")) {
                actions.add(permission(action, "Pools"));
            }
        }
        if (role.includes(Role.ADMIN)) {
            for (String action : List.of("can_read", "can_create", "can_edit", "can_delete")) {
                actions.add(permission(action, "Users"));
            }
            actions.add(permission("can_read", "Roles"));
        }
        return new dev.weft.api.model.Role(role.displayName(), actions);
    }

    private static ActionResource permission(String action, String resource) {
        return new ActionResource(new Named(action), new Named(resource));
    }
}
