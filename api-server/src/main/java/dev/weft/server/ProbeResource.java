package dev.weft.server;

import dev.weft.engine.auth.Public;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The probes of orchestrators (Kubernetes, systemd, a load balancer), without authentication: 200 or 503.
 * {@code /health/live}: this process's scheduler and worker loops run (a failing database does not make a process
 * dead: restarting it would not help). {@code /health/ready}: the database answers and has no change left to migrate.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    private final BooleanSupplier alive;
    private final BooleanSupplier ready;

    public ProbeResource(BooleanSupplier alive, BooleanSupplier ready) {
        this.alive = alive;
        this.ready = ready;
    }

    @GET
    @Path("live")
    @Public
    public Response live() {
        return probe(alive.getAsBoolean(), "alive", "a loop of this process has ended");
    }

    @GET
    @Path("ready")
    @Public
    public Response ready() {
        return probe(ready.getAsBoolean(), "ready", "the database does not answer, or has changes to migrate");
    }

    private static Response probe(boolean ok, String yes, String no) {
        return Response.status(ok ? 200 : 503).entity(Map.of("status", ok ? yes : no)).build();
    }
}
