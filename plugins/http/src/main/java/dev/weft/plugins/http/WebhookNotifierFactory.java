package dev.weft.plugins.http;

import dev.weft.spi.CallbackContext;
import dev.weft.spi.Notifier;
import dev.weft.spi.NotifierFactory;
import dev.weft.spi.PluginContext;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code http.webhook}: posts {@code {"text": "..."}} to a URL, the payload of Slack's incoming webhooks (also taken
 * by Mattermost, Rocket.Chat, and Microsoft Teams' workflows), Airflow's SlackWebhookNotifier. A status other than
 * 2xx fails the callback, which is logged.
 */
public final class WebhookNotifierFactory implements NotifierFactory<WebhookNotifierFactory.Params> {
    public static final String TYPE = "http.webhook";

    /**
     * @param url            the webhook's http:// or https:// URL (required; secret, as a Slack URL holds its token).
     *                       When Connections arrive, an {@code http_conn_id} will supply it instead.
     * @param text           the message (templated: {@code {{ ti.task_id }}}, {@code {{ exception }}}, ...); by
     *                       default one line naming the event, the task or run, the state and the error
     * @param headers        extra request headers, e.g. an Authorization header (secret)
     * @param requestTimeout the longest the request may take (default 30 s)
     */
    public record Params(String url, String text, Map<String, String> headers, Duration requestTimeout) {
        public Params {
            url = ParamChecks.url(url);
            headers = ParamChecks.headers(headers);
            requestTimeout = requestTimeout == null ? DEFAULT_TIMEOUT : ParamChecks.timeout(requestTimeout);
        }
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Posts {\"text\": ...} to a webhook: Slack-compatible (Airflow's SlackWebhookNotifier)";
    }

    @Override
    public Set<String> sensitiveParams() {
        return Set.of("url", "headers");
    }

    @Override
    public Notifier<Params> create(PluginContext context) {
        return (params, ctx) -> {
            String text = params.text() != null ? params.text() : defaultText(ctx);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(params.url()))
                    .timeout(params.requestTimeout())
                    .header("User-Agent", HttpCall.USER_AGENT)
                    .header("Content-Type", "application/json");
            params.headers().forEach(request::header);
            HttpResponse<String> response = HttpCall.client().send(request.POST(HttpRequest.BodyPublishers.ofString(
                            JsonText.write(Map.of("text", text)), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String body = response.body();
                throw new HttpStatusException(response.statusCode(), "the webhook answered HTTP "
                        + response.statusCode() + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            }
            ctx.log().info("Webhook notified: HTTP {}", response.statusCode());
        };
    }

    /** {@code on_failure_callback: task load of DAG sales, run manual__..., try 2: failed: java.io.IOException: ...} */
    static String defaultText(CallbackContext ctx) {
        String what = ctx.taskId().map(t -> "task " + t + " of DAG " + ctx.dagId() + ", run " + ctx.runId()
                + ", try " + ctx.tryNumber()).orElse("DAG " + ctx.dagId() + ", run " + ctx.runId());
        return ctx.event() + ": " + what + ": " + ctx.state() + ctx.exception().map(e -> ": " + e).orElse("");
    }
}
