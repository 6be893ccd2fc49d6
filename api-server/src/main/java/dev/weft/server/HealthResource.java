package dev.weft.server;

import dev.weft.engine.auth.Public;
import dev.weft.engine.health.Health;
import dev.weft.spi.IsoDates;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/health} without authentication, as in Airflow, in Airflow's shape (metadatabase, scheduler), from
 * the schedulers' own heartbeats. Every scheduler and worker is in {@link ProcessesResource}; the orchestrators'
 * probes are {@link ProbeResource}.
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
        return airflowShape(health.report());
    }

    static Map<String, Object> airflowShape(Health.Report report) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metadatabase", Map.of("status", status(report.databaseHealthy())));
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("status", status(report.schedulerHealthy()));
        scheduler.put("latest_scheduler_heartbeat", report.latestSchedulerHeartbeat() == null ? null
                : IsoDates.isoformat(report.latestSchedulerHeartbeat()));
        result.put("scheduler", scheduler);
        return result;
    }

    static String status(boolean healthy) {
        return healthy ? "healthy" : "unhealthy";
    }
}
