package dev.weft.plugins.http;

import dev.weft.plugins.http.TestServer.Reply;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.OperatorResult;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpOperatorTest {
    private final TestServer server = new TestServer();
    private final HttpOperatorFactory factory = new HttpOperatorFactory();
    private final TestTaskContext ctx = TestTaskContext.create();

    @AfterEach
    void stop() {
        server.close();
    }

    private OperatorResult execute(Map<String, ?> params) throws Exception {
        return OperatorHarness.execute(factory, params, ctx);
    }

    /** Echoes the request as JSON-ish text. */
    private static Reply echo(TestServer.Request r) {
        return Reply.json(200, "{\"method\": \"" + r.method() + "\", \"query\": \"" + r.rawQuery()
                + "\", \"body\": " + (r.body().isEmpty() ? "null" : r.body()) + "}");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void postsAJsonBodyAndKeepsTheResponseInTheOutputAndTheLog() throws Exception {
        server.on("/echo", HttpOperatorTest::echo);
        String url = server.url("/echo");

        OperatorResult result = execute(Map.of("url", url, "json",
                ordered("supermarket_id", 1, "ds", "2026-01-01", "tags", List.of("a", "b\"c"))));

        String expectedBody = "{\"method\": \"POST\", \"query\": \"null\", \"body\": "
                + "{\"supermarket_id\":1,\"ds\":\"2026-01-01\",\"tags\":[\"a\",\"b\\\"c\"]}}";
        assertThat(result).isEqualTo(OperatorResult.success(expectedBody));
        TestServer.Request request = server.lastRequest();
        assertThat(request.method()).as("Airflow's HttpOperator posts by default").isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(ctx.logLines()).contains("INFO Calling POST " + url + " with a JSON body", "INFO Response body:",
                "INFO " + expectedBody);
        assertThat(ctx.logLines()).anyMatch(l -> l.matches("INFO Response: HTTP 200 \\(\\d+ bytes in \\d+ ms\\)"));
    }

    @Test
    void httpConnIdGivesTheBaseUrlTheLoginAndTheHeadersAndParamsHeadersWin() throws Exception {
        server.on("/api/v2/orders", HttpOperatorTest::echo);
        String base = server.url("/api/");
        TestTaskContext withConnection = TestTaskContext.builder().connection(new dev.weft.spi.Connection("my_api",
                "http", base, null, "bot", "s3cret-pw", null, Map.of("headers", Map.of("X-Team", "data",
                        "X-Env", "prod")))).build();
        OperatorHarness.execute(factory, Map.of("http_conn_id", "my_api", "endpoint", "/v2/orders", "method", "GET",
                "headers", Map.of("x-env", "test")), withConnection);
        TestServer.Request request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/api/v2/orders");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("bot:s3cret-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(request.header("X-Team")).isEqualTo("data");
        assertThat(request.header("X-Env")).isEqualTo("test");

        assertThatThrownBy(() -> OperatorHarness.execute(factory, Map.of("http_conn_id", "nope"), withConnection))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("connection 'nope' does not exist");
        assertThatThrownBy(() -> execute(Map.of("http_conn_id", "my_api", "url", base)))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("cannot be given with http_conn_id");
        assertThatThrownBy(() -> execute(Map.of("url", base, "endpoint", "x")))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("goes with http_conn_id");
    }

    @Test
    void aGetWithQueryParamsAndATextBodyWithItsOwnContentType() throws Exception {
        server.on("/echo", HttpOperatorTest::echo);

        execute(Map.of("url", server.url("/echo?fixed=1"), "method", "GET",
                "query", ordered("name", "a b&c", "n", 2, "flag", true)));
        assertThat(server.lastRequest().rawQuery()).isEqualTo("fixed=1&name=a%20b%26c&n=2&flag=true");

        execute(Map.of("url", server.url("/echo"), "method", "PUT", "body", "id;qty\n1;2",
                "headers", Map.of("Content-Type", "text/csv")));
        assertThat(server.lastRequest().body()).isEqualTo("id;qty\n1;2");
        assertThat(server.lastRequest().header("Content-Type")).isEqualTo("text/csv");
        assertThat(ctx.logLines()).contains("INFO Calling PUT " + server.url("/echo") + " with a body of 10 characters");
    }

    @Test
    void anUnexpectedStatusFailsTheTryWithTheBodyInTheLog() {
        server.on("/load", r -> Reply.text(500, "database is down"));
        String url = server.url("/load");

        assertThatThrownBy(() -> execute(Map.of("url", url, "log_response", false)))
                .isInstanceOf(HttpStatusException.class)
                .hasMessage("HTTP 500 from POST " + url + ", expected 2xx")
                .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(500));
        assertThat(ctx.logLines()).contains("INFO Response body:", "INFO database is down")
                .anyMatch(l -> l.matches("ERROR Response: HTTP 500 \\(16 bytes in \\d+ ms\\), expected 2xx"));
    }

    @Test
    void aBodyThatFailsItsCheckFailsTheTry() {
        server.on("/load", r -> Reply.json(200, "{\"loaded\": 0}"));
        String url = server.url("/load");

        assertThatThrownBy(() -> execute(Map.of("url", url, "body_regex", "\"loaded\": [1-9]")))
                .isInstanceOf(HttpStatusException.class)
                .hasMessage("HTTP 200 but the body does not match /\"loaded\": [1-9]/ (POST " + url + ")");
    }

    @Test
    void theOutputCanBeTheStatusEverythingOrNothing() throws Exception {
        server.on("/made", r -> Reply.text(201, "created"));
        String url = server.url("/made");

        assertThat(execute(Map.of("url", url, "output", "status"))).isEqualTo(OperatorResult.success(201L));
        assertThat(execute(Map.of("url", url, "output", "none"))).isEqualTo(OperatorResult.success());
        OperatorResult full = execute(Map.of("url", url, "output", "FULL", "expected_status", 201));
        @SuppressWarnings("unchecked")
        Map<String, Object> output = (Map<String, Object>) ((OperatorResult.Success) full).output();
        assertThat(output).containsEntry("status", 201L).containsEntry("body", "created").containsKey("headers");
    }

    @Test
    void theBodyIsDecodedWithTheCharsetOfItsContentType() throws Exception {
        server.on("/latin", r -> Reply.of(200, "text/plain; charset=ISO-8859-1", "café", StandardCharsets.ISO_8859_1));
        assertThat(execute(Map.of("url", server.url("/latin"), "method", "GET"))).isEqualTo(OperatorResult.success("café"));
    }

    @Test
    void aBodyOverMaxResponseBytesFailsTheTry() {
        server.on("/big", r -> Reply.text(200, "x".repeat(5_000)));

        assertThatThrownBy(() -> execute(Map.of("url", server.url("/big"), "max_response_bytes", 1_000)))
                .isInstanceOf(HttpCall.ResponseTooLargeException.class)
                .hasMessage("the response body is larger than max_response_bytes (1000 bytes)");
    }

    @Test
    void aLongBodyIsLoggedInPart() throws Exception {
        String body = IntStream.range(0, 500).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        server.on("/long", r -> Reply.text(200, body));

        assertThat(execute(Map.of("url", server.url("/long")))).isEqualTo(OperatorResult.success(body));
        List<String> lines = ctx.logLines();
        assertThat(lines).contains("INFO line 199").doesNotContain("INFO line 200");
        assertThat(lines.get(lines.size() - 1)).matches("INFO \\.\\.\\. \\(\\d+ more characters not logged\\)");
    }

    @Test
    void aCancelledTryAbandonsTheRequest() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        server.on("/hang", r -> {
            received.countDown();
            Thread.sleep(10_000);
            return Reply.text(200, "too late");
        });
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                if (received.await(5, TimeUnit.SECONDS)) {
                    ctx.cancel("execution_timeout of 1 s");
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> execute(Map.of("url", server.url("/hang"))))
                .isInstanceOf(CancellationException.class)
                .hasMessage("HTTP request cancelled: execution_timeout of 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        canceller.join();
    }

    @Test
    void paramsAreCheckedNamingTheField() {
        String url = server.url("/x");
        assertThatThrownBy(() -> execute(Map.of("method", "GET"))).isInstanceOf(InvalidParamsException.class)
                .hasMessage("url: is required: the http:// or https:// URL to call");
        assertThatThrownBy(() -> execute(Map.of("url", "ftp://example.com/f"))).hasMessage(
                "url: must start with http:// or https://, got 'ftp://example.com/f'");
        assertThatThrownBy(() -> execute(Map.of("url", "http://exa mple.com/"))).hasMessageStartingWith(
                "url: is not a valid URL");
        assertThatThrownBy(() -> execute(Map.of("url", url, "method", "FETCH"))).hasMessage(
                "method: expected one of [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT], got 'FETCH'");
        assertThatThrownBy(() -> execute(Map.of("url", url, "body", "a", "json", Map.of()))).hasMessage(
                "json: give either body (text) or json (a value sent as JSON), not both");
        assertThatThrownBy(() -> execute(Map.of("url", url, "headers", Map.of("Host", "other")))).hasMessage(
                "headers.Host: is set by the HTTP client and cannot be given");
        assertThatThrownBy(() -> execute(Map.of("url", url, "body_regex", "(unclosed"))).hasMessageStartingWith(
                "body_regex: is not a valid regular expression");
        assertThatThrownBy(() -> execute(Map.of("url", url, "output", "xml"))).hasMessage(
                "output: expected one of body, status, full, none; got 'xml'");
        assertThatThrownBy(() -> execute(Map.of("url", url, "request_timeout", 0))).hasMessage(
                "request_timeout: must be positive, got PT0S");
        assertThatThrownBy(() -> execute(Map.of("url", url, "query", Map.of("q", Map.of("nested", 1)))))
                .hasMessageStartingWith("query.q: expected a string, number or boolean");
        assertThatThrownBy(() -> execute(Map.of("url", url, "data", "x"))).isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("unknown param").hasMessageContaining("body_contains");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void headersAreSensitiveAndTheDefaultsAreAirflows() {
        assertThat(factory.typeId()).isEqualTo("http.operator");
        assertThat(factory.sensitiveParams()).containsExactly("headers");
        var p = dev.weft.testkit.PluginHarness.bind(factory, Map.of("url", "https://example.com/x"), ctx);
        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.output()).isEqualTo("body");
        assertThat(p.logResponse()).isTrue();
        assertThat(p.expected()).hasToString("2xx");
    }
}
