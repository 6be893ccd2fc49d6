package dev.weft.server;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import dev.weft.engine.health.Health;
import dev.weft.spi.IsoDates;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/weft/health}: {@code /api/v1/health}'s answer plus every scheduler and worker with its id, host,
 * pid, latest heartbeat and status. Viewer and above, as it names hosts and process ids.
 */
@Path("/api/v1/weft/health")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessesResource {
    private final Health health;

    public ProcessesResource(Health health) {
        this.health = health;
    }

    @GET
    @Allowed(Role.VIEWER)
    public Map<String, Object> health() {
        Health.Report report = health.report();
        Map<String, Object> result = HealthResource.airflowShape(report);
        result.put("schedulers", components(report.schedulers()));
        result.put("workers", components(report.workers()));
        return result;
    }

    private static List<Map<String, Object>> components(List<Health.Component> components) {
        return components.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("hostname", c.hostname());
            m.put("pid", c.pid());
            m.put("latest_heartbeat", IsoDates.isoformat(c.latestHeartbeat()));
            m.put("status", HealthResource.status(c.healthy()));
            return m;
        }).toList();
    }

}
