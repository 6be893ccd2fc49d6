package dev.weft.server.metrics;

import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.ImportErrorStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.UserStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The scheduler's and worker's /metrics port, on a real socket: the server's login rules and text. */
class MetricsHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final MetricsHttpServer server;

    MetricsHttpServerTest() throws Exception {
        UserStore users = mock(UserStore.class);
        when(users.find("prometheus")).thenReturn(Optional.of(new UserStore.User("prometheus",
                PasswordHasher.hash("scrape-pw"), "Viewer", "p@example.com", "P", "R", true, null, null, 0, null)));
        PrometheusMeterRegistry registry = PrometheusEngineMetrics.newRegistry();
        new PrometheusEngineMetrics(registry); // registers the engine's meters, as the runtime does
        DatabaseGauges gauges = new DatabaseGauges(registry, mock(PoolStore.class), mock(TaskInstanceStore.class),
                mock(ImportErrorStore.class), new DagCatalog(mock(DagStore.class)), type -> false, 32,
                Clock.systemUTC(), Duration.ofSeconds(5));
        server = new MetricsHttpServer(0, registry, gauges, new Authenticator(users, Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aViewerScrapesTheMetricsText() throws Exception {
        HttpResponse<String> reply = get("prometheus:scrape-pw");
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(reply.body()).contains("weft_executor_open_slots 32.0",
                "weft_scheduler_scheduler_loop_duration_seconds_count 0");
    }

    @Test
    void noOrWrongCredentialsGet401() throws Exception {
        HttpResponse<String> anonymous = get(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Weft\"");
        assertThat(get("prometheus:wrong").statusCode()).isEqualTo(401);
        assertThat(get("nobody:scrape-pw").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                + "/metrics"));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
