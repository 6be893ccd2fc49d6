package dev.weft.server;

import dev.weft.engine.auth.Public;
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
 * {@code GET /api/v1/health} without authentication, as in Airflow, in Airflow's shape (metadatabase, scheduler), plus
 * every scheduler and worker with its latest heartbeat and status. The orchestrators' probes are {@link ProbeResource}.
 */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final Health health;

    public HealthResource(Health health) {
        this.health = health;
    }

    @GET
    @Public
    public Map<String, Object> health() {
        Health.Report report = health.report();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metadatabase", Map.of("status", status(report.databaseHealthy())));
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("status", status(report.schedulerHealthy()));
        scheduler.put("latest_scheduler_heartbeat", report.latestSchedulerHeartbeat() == null ? null
                : IsoDates.isoformat(report.latestSchedulerHeartbeat()));
        result.put("scheduler", scheduler);
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
            m.put("status", status(c.healthy()));
            return m;
        }).toList();
    }

    private static String status(boolean healthy) {
        return healthy ? "healthy" : "unhealthy";
    }
}
