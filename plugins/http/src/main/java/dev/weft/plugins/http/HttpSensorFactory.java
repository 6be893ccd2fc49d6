package dev.weft.plugins.http;

import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorContext;
import dev.weft.spi.SensorFactory;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code http.sensor}: waits until an endpoint answers with an expected status and, optionally, a body that contains
 * a text or matches a regular expression (Airflow's HttpSensor). Each poke sends one request. A status outside
 * {@code expected_status}, a body that does not match, or a failed connection (refused, reset, timed out) is
 * <em>not yet</em>; a status in {@code fail_on_status} fails the task at once. Waiting, intervals and the timeout
 * are the engine's sensor settings.
 */
public final class HttpSensorFactory implements SensorFactory<HttpSensorFactory.Params> {
    public static final String TYPE = "http.sensor";

    /**
     * @param url              the URL to call, {@code http://} or {@code https://} (required)
     * @param method           the HTTP method (default {@code GET})
     * @param headers          request headers (masked wherever params are shown)
     * @param query            query params appended to the URL, percent-encoded; a list value repeats the key
     * @param body             a request body, sent as UTF-8 text
     * @param json             a JSON value sent as the body, with {@code Content-Type: application/json} (not with body)
     * @param expectedStatus   the statuses that can be ready: {@code 200}, {@code "2xx"}, {@code "200-204"} or a list
     *                         (default {@code "2xx"})
     * @param failOnStatus     statuses that fail the task at once instead of waiting (default none)
     * @param bodyContains     ready only when the body contains this text
     * @param bodyRegex        ready only when this regular expression is found in the body (Java syntax)
     * @param requestTimeout   how long one request may take, to its last byte (default 60 s)
     * @param maxResponseBytes the largest body read; a larger one fails the task (default 10 MiB)
     * @param output           the task's output when ready: {@code none} (default), {@code body}, {@code status} or
     *                         {@code full} (status, headers and body)
     * @param logResponse      log each response body (default false; a failing status is always logged)
     */
    public record Params(String url, String method, Map<String, String> headers, Map<String, Object> query,
                         String body, Object json, Object expectedStatus, Object failOnStatus, String bodyContains,
                         String bodyRegex, Duration requestTimeout, Long maxResponseBytes, String output,
                         Boolean logResponse, String httpConnId, String endpoint) implements RequestParams {
        public Params {
            url = ParamChecks.target(url, httpConnId, endpoint);
            method = ParamChecks.method(method, "GET");
            headers = ParamChecks.headers(headers);
            query = ParamChecks.query(query);
            ParamChecks.body(body, json);
            expectedStatus = StatusCodes.parse(expectedStatus, "expected_status", StatusCodes.SUCCESS);
            failOnStatus = StatusCodes.parse(failOnStatus, "fail_on_status", StatusCodes.NONE);
            ParamChecks.regex(bodyRegex);
            requestTimeout = ParamChecks.timeout(requestTimeout);
            maxResponseBytes = ParamChecks.maxResponseBytes(maxResponseBytes);
            output = ParamChecks.output(output, "none");
            logResponse = logResponse != null && logResponse;
        }

        StatusCodes failOn() {
            return (StatusCodes) failOnStatus;
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
        return "Waits for an HTTP endpoint to answer with an expected status and body (Airflow's HttpSensor)";
    }

    @Override
    public Set<String> sensitiveParams() {
        return Set.of("headers");
    }

    @Override
    public Sensor<Params> create(PluginContext context) {
        return HttpSensorFactory::poke;
    }

    private static PokeResult poke(Params p, SensorContext ctx) {
        HttpRequest request = HttpCall.request(p, ctx);
        String what = request.method() + " " + request.uri();
        HttpCall.Response r;
        try {
            r = HttpCall.send(request, p, ctx.cancellation());
        } catch (IOException e) {
            String why = HttpCall.describe(e);
            ctx.log().info("{}: {}", what, why);
            return PokeResult.notYet(what + ": " + why);
        }
        if (p.failOn().contains(r.status())) {
            ctx.log().error("{}: {}, which is in fail_on_status ({})", what, r.describe(), p.failOn());
            HttpCall.logBody(ctx.log(), r.body());
            return PokeResult.failed("HTTP " + r.status() + " from " + what + " is in fail_on_status (" + p.failOn() + ")");
        }
        if (!p.expected().contains(r.status())) {
            ctx.log().info("{}: {}, expected {}", what, r.describe(), p.expected());
            logBodyIfAsked(p, ctx, r);
            return PokeResult.notYet("HTTP " + r.status() + ", expected " + p.expected());
        }
        String mismatch = r.bodyMismatch(p);
        if (mismatch != null) {
            ctx.log().info("{}: {}", what, mismatch);
            logBodyIfAsked(p, ctx, r);
            return PokeResult.notYet(mismatch);
        }
        ctx.log().info("{}: {}, as expected", what, r.describe());
        logBodyIfAsked(p, ctx, r);
        return PokeResult.ready(r.output(p.output()));
    }

    private static void logBodyIfAsked(Params p, SensorContext ctx, HttpCall.Response r) {
        if (p.logResponse()) {
            HttpCall.logBody(ctx.log(), r.body());
        }
    }
}
