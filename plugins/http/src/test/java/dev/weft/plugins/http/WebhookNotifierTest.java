package dev.weft.plugins.http;

import dev.weft.spi.InvalidParamsException;
import dev.weft.testkit.PluginHarness;
import dev.weft.testkit.TestCallbackContext;
import dev.weft.testkit.TestPluginContext;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code http.webhook} against a real local HTTP server. */
class WebhookNotifierTest {
    private final TestServer server = new TestServer();
    private final WebhookNotifierFactory factory = new WebhookNotifierFactory();

    @AfterEach
    void close() {
        server.close();
    }

    private void notify(Map<String, ?> params, TestCallbackContext ctx) throws Exception {
        WebhookNotifierFactory.Params bound = PluginHarness.bind(factory, params, TestTaskContext.create());
        factory.create(TestPluginContext.temporary(Clock.systemUTC())).notify(bound, ctx);
    }

    @Test
    void postsASlackCompatibleTextPayload() throws Exception {
        server.on("/hooks/T0/B0/secret", r -> TestServer.Reply.text(200, "ok"));
        TestCallbackContext ctx = TestCallbackContext.taskFailed("sales", "load", 2,
                "java.io.IOException: disk \"full\"");

        notify(Map.of("url", server.url("/hooks/T0/B0/secret"), "headers", Map.of("X-Team", "data")), ctx);

        TestServer.Request request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Team")).isEqualTo("data");
        assertThat(request.body()).isEqualTo("{\"text\":\"on_failure_callback: task load of DAG sales, run "
                + ctx.runId() + ", try 2: failed: java.io.IOException: disk \\\"full\\\"\"}");
        assertThat(ctx.logLines()).contains("INFO Webhook notified: HTTP 200");
    }

    @Test
    void theTextParamReplacesTheDefaultMessage() throws Exception {
        server.on("/hook", r -> TestServer.Reply.text(204, ""));
        notify(Map.of("url", server.url("/hook"), "text", "load failed :fire:"),
                TestCallbackContext.taskFailed("sales", "load", 1, "boom"));

        assertThat(server.lastRequest().body()).isEqualTo("{\"text\":\"load failed :fire:\"}");
    }

    @Test
    void aStatusOtherThan2xxFailsTheCallbackWithTheAnswer() {
        server.on("/hook", r -> TestServer.Reply.text(404, "no_team"));

        assertThatThrownBy(() -> notify(Map.of("url", server.url("/hook")),
                TestCallbackContext.taskFailed("sales", "load", 1, "boom")))
                .isInstanceOf(HttpStatusException.class).hasMessage("the webhook answered HTTP 404: no_team");
    }

    @Test
    void badParamsAreNamed() {
        assertThatThrownBy(() -> PluginHarness.bind(factory, Map.of(), TestTaskContext.create()))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("url")
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> PluginHarness.bind(factory, Map.of("url", "ftp://x"), TestTaskContext.create()))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("must start with http://");
        assertThat(factory.sensitiveParams()).containsExactlyInAnyOrder("url", "headers");
    }
}
