package dev.weft.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Role;
import dev.weft.server.auth.AuthFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics} on a port of its own, for {@code weft scheduler} and {@code weft worker}, which have no HTTP server
 * otherwise: the same text and the same login as the server's {@code /metrics} (basic auth, any role). One thread:
 * scrapes are rare and the database gauges are cached.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final DatabaseGauges gauges;
    private final Authenticator authenticator;

    public MetricsHttpServer(int port, PrometheusMeterRegistry registry, DatabaseGauges gauges,
                             Authenticator authenticator) throws IOException {
        this.registry = registry;
        this.gauges = gauges;
        this.authenticator = authenticator;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", this::answer);
        server.start();
    }

    /** The port it listens on (the one asked for, or the one chosen for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!allowed(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Weft\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            gauges.refresh();
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private boolean allowed(String authorization) {
        String[] credentials = AuthFilter.credentials(authorization);
        return credentials != null && authenticator.authenticate(credentials[0], credentials[1])
                instanceof Authenticator.Result.Ok ok && ok.caller().role().includes(Role.VIEWER);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
