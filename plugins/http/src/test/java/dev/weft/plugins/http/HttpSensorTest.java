package dev.weft.plugins.http;

import dev.weft.plugins.http.TestServer.Reply;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSensorTest {
    private final TestServer server = new TestServer();
    private final HttpSensorFactory factory = new HttpSensorFactory();
    private final TestTaskContext ctx = TestTaskContext.create();

    @AfterEach
    void stop() {
        server.close();
    }

    private PokeResult poke(Map<String, ?> params) throws Exception {
        return SensorHarness.pokeOnce(factory, params, ctx);
    }

    @Test
    void waitsUntilTheEndpointAnswersWithA2xx() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.on("/health", r -> calls.incrementAndGet() <= 2 ? Reply.text(503, "starting") : Reply.text(200, "ok"));
        String url = server.url("/health");
        var sensor = SensorHarness.of(factory, Map.of("url", url), ctx);

        assertThat(sensor.poke()).isEqualTo(PokeResult.notYet("HTTP 503, expected 2xx"));
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        assertThat(sensor.poke()).as("no output unless asked").isEqualTo(PokeResult.ready());

        assertThat(server.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("User-Agent")).startsWith("weft-http-plugin/");
        });
        assertThat(ctx.logLines()).anyMatch(l -> l.matches("INFO GET " + url + ": HTTP 503 \\(8 bytes in \\d+ ms\\), expected 2xx"))
                .anyMatch(l -> l.matches("INFO GET " + url + ": HTTP 200 \\(2 bytes in \\d+ ms\\), as expected"))
                .noneMatch(l -> l.contains("starting"));
    }

    @Test
    void theBodyCanBeRequiredToContainATextOrMatchARegex() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.on("/job", r -> Reply.json(200, calls.incrementAndGet() == 1 ? "{\"state\": \"running\"}"
                : "{\"state\": \"done\", \"rows\": 42}"));
        String url = server.url("/job");

        assertThat(poke(Map.of("url", url, "body_contains", "\"done\"")))
                .isEqualTo(PokeResult.notYet("HTTP 200 but the body does not contain '\"done\"'"));
        assertThat(poke(Map.of("url", url, "body_contains", "\"done\"", "output", "body")))
                .isEqualTo(PokeResult.ready("{\"state\": \"done\", \"rows\": 42}"));
        assertThat(poke(Map.of("url", url, "body_regex", "\"rows\":\\s*\\d+", "output", "status")))
                .isEqualTo(PokeResult.ready(200L));
        assertThat(poke(Map.of("url", url, "body_regex", "\"rows\":\\s*0\\b")))
                .isEqualTo(PokeResult.notYet("HTTP 200 but the body does not match /\"rows\":\\s*0\\b/"));
    }

    @Test
    void expectedStatusTakesCodesClassesRangesAndLists() throws Exception {
        server.on("/gone", r -> Reply.text(404, "no such thing"));
        String url = server.url("/gone");
        assertThat(poke(Map.of("url", url))).isEqualTo(PokeResult.notYet("HTTP 404, expected 2xx"));
        assertThat(poke(Map.of("url", url, "expected_status", 404))).isEqualTo(PokeResult.ready());
        assertThat(poke(Map.of("url", url, "expected_status", "404"))).as("a rendered template").isEqualTo(PokeResult.ready());
        assertThat(poke(Map.of("url", url, "expected_status", "4xx"))).isEqualTo(PokeResult.ready());
        assertThat(poke(Map.of("url", url, "expected_status", "400-410"))).isEqualTo(PokeResult.ready());
        assertThat(poke(Map.of("url", url, "expected_status", List.of(200, "404")))).isEqualTo(PokeResult.ready());
        assertThat(poke(Map.of("url", url, "expected_status", List.of(200, 204))))
                .isEqualTo(PokeResult.notYet("HTTP 404, expected 200, 204"));
        assertThatThrownBy(() -> poke(Map.of("url", url, "expected_status", List.of(200, "ok"))))
                .isInstanceOf(InvalidParamsException.class).hasMessageStartingWith("expected_status[1]: expected an HTTP status");
        assertThatThrownBy(() -> poke(Map.of("url", url, "expected_status", 42)))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("got '42'");
    }

    @Test
    void aStatusInFailOnStatusFailsAtOnceWithTheBodyInTheLog() throws Exception {
        server.on("/secret", r -> Reply.text(403, "token expired"));
        String url = server.url("/secret");

        assertThat(poke(Map.of("url", url, "fail_on_status", List.of(401, 403))))
                .isEqualTo(PokeResult.failed("HTTP 403 from GET " + url + " is in fail_on_status (401, 403)"));
        assertThat(ctx.logLines()).contains("INFO Response body:", "INFO token expired");
    }

    @Test
    void aConnectionThatFailsIsNotYet() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/health";

        PokeResult result = poke(Map.of("url", url));

        assertThat(result).isInstanceOf(PokeResult.NotYet.class);
        assertThat(((PokeResult.NotYet) result).reason()).startsWith("GET " + url + ": ConnectException");
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("INFO GET " + url + ": ConnectException"));
    }

    @Test
    void aSlowAnswerIsNotYetAfterTheRequestTimeout() throws Exception {
        server.on("/slow", r -> {
            Thread.sleep(3_000);
            return Reply.text(200, "late");
        });

        PokeResult result = poke(Map.of("url", server.url("/slow"), "request_timeout", "PT0.3S"));

        assertThat(result).isInstanceOf(PokeResult.NotYet.class);
        assertThat(((PokeResult.NotYet) result).reason()).contains("HttpTimeoutException");
    }

    @Test
    void sendsHeadersQueryAndABodyAndCanLogAndKeepTheWholeResponse() throws Exception {
        server.on("/search", r -> Reply.json(200, "{\"hits\": 1}"));

        PokeResult result = poke(Map.of("url", server.url("/search"), "method", "post",
                "headers", Map.of("Authorization", "Bearer s3cret", "X-Trace", "t-1"),
                "query", new java.util.TreeMap<>(Map.of("q", "supermarket 1", "ids", List.of(1, 2))),
                "json", Map.of("since", "2026-01-01"), "output", "full", "log_response", true));

        assertThat(result).isInstanceOf(PokeResult.Ready.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> full = (Map<String, Object>) ((PokeResult.Ready) result).output();
        assertThat(full).containsEntry("status", 200L).containsEntry("body", "{\"hits\": 1}");
        assertThat((Map<?, ?>) full.get("headers")).anySatisfy((k, v) -> {
            assertThat(k.toString()).isEqualToIgnoringCase("content-type");
            assertThat(v).isEqualTo("application/json");
        });
        TestServer.Request request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawQuery()).isEqualTo("ids=1&ids=2&q=supermarket%201");
        assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(request.header("X-Trace")).isEqualTo("t-1");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo("{\"since\":\"2026-01-01\"}");
        assertThat(ctx.logLines()).contains("INFO Response body:", "INFO {\"hits\": 1}")
                .noneMatch(l -> l.contains("s3cret"));
    }

    @Test
    void headersAreSensitiveAndTheDefaultsAreAirflows() {
        assertThat(factory.typeId()).isEqualTo("http.sensor");
        assertThat(factory.sensitiveParams()).containsExactly("headers");
        assertThat(factory.isTemplated("url")).isTrue();
        var p = dev.weft.testkit.PluginHarness.bind(factory, Map.of("url", "https://example.com/x"), ctx);
        assertThat(p.method()).isEqualTo("GET");
        assertThat(p.expected()).hasToString("2xx");
        assertThat(p.output()).isEqualTo("none");
        assertThat(p.logResponse()).isFalse();
        assertThat(p.requestTimeout()).hasSeconds(60);
        assertThat(p.maxResponseBytes()).isEqualTo(10L * 1024 * 1024);
    }
}
