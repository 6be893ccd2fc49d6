package dev.weft.plugins.http;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;
import dev.weft.spi.TaskContext;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code http.operator}: sends one request and keeps the response (Airflow's HttpOperator). Every param is
 * templated. The response status and body go to the task log, and the body (by default) becomes the task's output.
 * A status outside {@code expected_status} or a body that fails {@code body_contains}/{@code body_regex} fails the
 * try, as does a failed connection; the task's retries apply.
 */
public final class HttpOperatorFactory implements OperatorFactory<HttpOperatorFactory.Params> {
    public static final String TYPE = "http.operator";

    /**
     * @param url              the URL to call, {@code http://} or {@code https://} (required)
     * @param method           the HTTP method (default {@code POST}, as Airflow's HttpOperator)
     * @param headers          request headers (masked wherever params are shown)
     * @param query            query params appended to the URL, percent-encoded; a list value repeats the key
     * @param body             a request body, sent as UTF-8 text
     * @param json             a JSON value sent as the body, with {@code Content-Type: application/json} (not with body)
     * @param expectedStatus   the statuses that succeed: {@code 200}, {@code "2xx"}, {@code "200-204"} or a list
     *                         (default {@code "2xx"})
     * @param bodyContains     succeed only when the body contains this text
     * @param bodyRegex        succeed only when this regular expression is found in the body (Java syntax)
     * @param requestTimeout   how long the request may take, to its last byte (default 60 s)
     * @param maxResponseBytes the largest body read; a larger one fails the try (default 10 MiB)
     * @param output           the task's output: {@code body} (default), {@code status}, {@code full} (status,
     *                         headers and body) or {@code none}
     * @param logResponse      log the response body (default true)
     */
    public record Params(String url, String method, Map<String, String> headers, Map<String, Object> query,
                         String body, Object json, Object expectedStatus, String bodyContains, String bodyRegex,
                         Duration requestTimeout, Long maxResponseBytes, String output,
                         Boolean logResponse, String httpConnId, String endpoint) implements RequestParams {
        public Params {
            url = ParamChecks.target(url, httpConnId, endpoint);
            method = ParamChecks.method(method, "POST");
            headers = ParamChecks.headers(headers);
            query = ParamChecks.query(query);
            ParamChecks.body(body, json);
            expectedStatus = StatusCodes.parse(expectedStatus, "expected_status", StatusCodes.SUCCESS);
            ParamChecks.regex(bodyRegex);
            requestTimeout = ParamChecks.timeout(requestTimeout);
            maxResponseBytes = ParamChecks.maxResponseBytes(maxResponseBytes);
            output = ParamChecks.output(output, "body");
            logResponse = logResponse == null || logResponse;
        }
    }

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
        return "Sends an HTTP request; the response goes to the log and the output (Airflow's HttpOperator)";
    }

    @Override
    public Set<String> sensitiveParams() {
        return Set.of("headers");
    }

    @Override
    public Operator<Params> create(PluginContext context) {
        return HttpOperatorFactory::execute;
    }

    private static OperatorResult execute(Params p, TaskContext ctx) throws IOException {
        HttpRequest request = HttpCall.request(p, ctx);
        String what = request.method() + " " + request.uri();
        String payload = p.json() != null ? " with a JSON body"
                : p.body() != null ? " with a body of " + p.body().length() + " characters" : "";
        ctx.log().info("Calling {}{}", what, payload);
        HttpCall.Response r = HttpCall.send(request, p, ctx.cancellation());
        boolean expected = p.expected().contains(r.status());
        if (expected) {
            ctx.log().info("Response: {}", r.describe());
        } else {
            ctx.log().error("Response: {}, expected {}", r.describe(), p.expected());
        }
        if (p.logResponse() || !expected) {
            HttpCall.logBody(ctx.log(), r.body());
        }
        if (!expected) {
            throw new HttpStatusException(r.status(), "HTTP " + r.status() + " from " + what + ", expected "
                    + p.expected());
        }
        String mismatch = r.bodyMismatch(p);
        if (mismatch != null) {
            throw new HttpStatusException(r.status(), mismatch + " (" + what + ")");
        }
        return OperatorResult.success(r.output(p.output()));
    }
}
