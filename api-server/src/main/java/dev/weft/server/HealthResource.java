package dev.weft.server;

import dev.weft.engine.auth.Public;
import dev.weft.spi.IsoDates;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/health}, in Airflow's shape; no authentication, as in Airflow. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final Jdbi jdbi;

    public HealthResource(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @GET
    @Public
    public Map<String, Object> health() {
        Map<String, Object> result = new LinkedHashMap<>();
        Instant heartbeat = null;
        String database;
        try {
            heartbeat = jdbi.withHandle(h -> h.createQuery(
                    "SELECT max(heartbeat_at) FROM worker WHERE stopped_at IS NULL").mapTo(Instant.class).one());
            database = "healthy";
        } catch (RuntimeException e) {
            database = "unhealthy";
        }
        result.put("metadatabase", Map.of("status", database));
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("status", heartbeat != null && heartbeat.isAfter(Instant.now().minusSeconds(30))
                ? "healthy" : "unhealthy");
        scheduler.put("latest_scheduler_heartbeat", heartbeat == null ? null : IsoDates.isoformat(heartbeat));
        result.put("scheduler", scheduler);
        return result;
    }
}
