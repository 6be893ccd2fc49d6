package dev.weft.web;

import dev.weft.engine.auth.Caller;
import dev.weft.engine.auth.Role;
import dev.weft.engine.auth.Sessions;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Who is looking at a page, and what the page may offer them: a control is rendered only for a role that may use it
 * (the same role the action's endpoint demands, so hiding it is courtesy and the filter's 403 is the rule).
 */
public record PageUser(Caller caller, String csrf) {
    public static PageUser of(SecurityContext security, ContainerRequestContext request) {
        Object csrf = request.getProperty(Sessions.CSRF_PROPERTY);
        return new PageUser((Caller) security.getUserPrincipal(), csrf == null ? "" : csrf.toString());
    }

    public String username() {
        return caller.username();
    }

    public String roleName() {
        return caller.role().displayName();
    }

    /** Trigger, clear, mark, pause: the User role and up. */
    public boolean canEdit() {
        return caller.role().includes(Role.USER);
    }

    /** Pools: the Op role and up. */
    public boolean canManagePools() {
        return caller.role().includes(Role.OP);
    }

    /** Posting dataset events and clearing consumers' queues in the UI: the Op role and up. */
    public boolean canManageDatasets() {
        // As the REST API's Dataset endpoints: a User may post events and clear queues.
        return caller.role().includes(Role.USER);
    }

    /** Variables and connections: the Op role and up, as their REST endpoints (reading them too). */
    public boolean canManageSecrets() {
        return caller.role().includes(Role.OP);
    }

    /** Users, deleting runs: Admin. */
    public boolean admin() {
        return caller.role().includes(Role.ADMIN);
    }
}
