package dev.weft.server.it;

import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The DAG of {@link HttpPluginIT}, only when {@code WEFT_HTTP_TEST_URL} (a local HTTP server) is set. It names the
 * installed plugins' types by id: they are not on this class path. {@code wait_for_api} (http.sensor) waits for
 * {@code /health} to say it is ready, {@code call_api} (http.operator) posts templated JSON to {@code /echo}, then a
 * standard shell task runs; {@code probe} runs the test's probe plugin. A second DAG's callbacks notify a webhook.
 */
public final class HttpTestDags implements DagProvider {
    static final String DAG_ID = "http_plugin_test";
    static final String CALLBACKS_DAG_ID = "http_callbacks_test";

    @Override
    public List<DagSpec> dags() {
        String base = System.getenv("WEFT_HTTP_TEST_URL");
        if (base == null) {
            return List.of();
        }
        DagBuilder b = Dag.builder(DAG_ID).schedule("@once").startDate(Instant.parse("2026-01-01T00:00:00Z"));
        var wait = b.sensor("wait_for_api", SensorRef.of("http.sensor", Map.of(
                        "url", base + "/health", "body_contains", "ready")))
                .mode(SensorMode.POKE).pokeInterval(Duration.ofSeconds(1)).timeout(Duration.ofMinutes(2));
        var call = b.task("call_api", OperatorRef.of("http.operator", Map.of(
                "url", base + "/echo",
                "query", Map.of("ds", "{{ ds }}"),
                "headers", Map.of("X-Weft-Task", "{{ ti.task_id }}"),
                "json", Map.of("run_id", "{{ run_id }}", "supermarket_id", 1))));
        var after = b.task("after_http", OperatorRef.of("standard.shell", Map.of("command", "echo standard works")));
        wait.then(call).then(after);
        b.task("probe", OperatorRef.of("probe.inspect", Map.of()));
        return List.of(b.build(), callbacks(base));
    }

    /**
     * A task that fails both its tries: its retry callback (the default message) and its failure callback (a
     * templated one) post to {@code /hook}, the run's failure callback to {@code /dag-hook}, all with http.webhook.
     */
    private static DagSpec callbacks(String base) {
        DagBuilder b = Dag.builder(CALLBACKS_DAG_ID).schedule("@once").startDate(Instant.parse("2026-01-01T00:00:00Z"))
                .onFailureCallback(Callback.notifier("http.webhook", Map.of("url", base + "/dag-hook",
                        "text", "run {{ run_id }} failed: {{ reason }}")));
        b.task("fails", OperatorRef.of("standard.shell", Map.of("command", "echo disk full >&2; exit 3")))
                .retries(1).retryDelay(Duration.ofSeconds(1))
                .onRetryCallback(Callback.notifier("http.webhook", Map.of("url", base + "/hook")))
                .onFailureCallback(Callback.notifier("http.webhook", Map.of("url", base + "/hook",
                        "text", "{{ ti.task_id }} failed for good: {{ exception }}")));
        return b.build();
    }
}
