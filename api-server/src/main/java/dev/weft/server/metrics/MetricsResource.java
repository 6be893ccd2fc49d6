package dev.weft.server.metrics;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * {@code GET /metrics}: Prometheus' text format. Behind a login like every endpoint, with the least role (Viewer):
 * Prometheus sends basic auth from its scrape config, and the labels show DAG and task ids, which a Viewer may see.
 */
@Path("/metrics")
public class MetricsResource {
    private final PrometheusMeterRegistry registry;
    private final DatabaseGauges gauges;

    public MetricsResource(PrometheusMeterRegistry registry, DatabaseGauges gauges) {
        this.registry = registry;
        this.gauges = gauges;
    }

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @Allowed(Role.VIEWER)
    public String scrape() {
        gauges.refresh();
        return registry.scrape();
    }
}
