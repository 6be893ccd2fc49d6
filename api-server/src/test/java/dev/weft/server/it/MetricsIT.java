package dev.weft.server.it;

import dev.weft.server.WeftConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} scraped before, during and after a run of a DAG file on the real server: the task, pool, executor,
 * sensor and run metrics change as the run goes. A reschedule-mode file sensor waits for one file, then a shell task
 * holds its slot until a second file appears, while another task fails.
 */
class MetricsIT {
    // Without the examples, whose runs would hold the slots this test watches.
    private static final ApiServer SERVER = new ApiServer(1024 * 1024, false);
    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = SERVER.app;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void metricsNeedALoginWithAnyRole() {
        assertThat(SERVER.send("GET", "/metrics", null, null, Map.of()).status()).isEqualTo(401);
        ApiServer.Reply viewer = SERVER.send("GET", "/metrics", "viewer", null, Map.of());
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.contentType()).startsWith("text/plain");
        assertThat(viewer.body()).contains("# TYPE weft_executor_open_slots gauge", "jvm_memory_used_bytes");
    }

    @Test
    void aRunMovesTheTaskPoolAndSensorMetrics() throws Exception {
        Path home = Path.of(APP.getConfiguration().getWeftHome());
        Path go = home.resolve("metrics-it/go");
        Path release = home.resolve("metrics-it/release");
        Files.createDirectories(go.getParent());
        Path dags = Files.createDirectories(home.resolve("dags"));
        Files.writeString(dags.resolve("metrics_it.yaml"), """
                dag_id: metrics_it
                tasks:
                  - task_id: wait
                    type: standard.file_sensor
                    sensor: {mode: reschedule, poke_interval: PT1S, timeout: PT5M}
                    params: {filepath: %s}
                  - task_id: hold
                    type: standard.shell
                    params: {command: "while [ ! -f %s ]; do sleep 0.05; done"}
                  - task_id: boom
                    type: standard.shell
                    params: {command: "exit 3"}
                chains:
                  - [wait, hold]
                """.formatted(go, release));
        await("the DAG file is loaded", () -> SERVER.send("GET", "/api/v1/dags/metrics_it", "viewer", null,
                Map.of()).status() == 200);

        Map<String, Double> before = scrape();
        assertThat(value(before, "weft_ti_finish_total", "dag_id=metrics_it", "task_id=hold", "state=success"))
                .isZero();
        assertThat(value(before, "weft_pool_running_slots", "pool=default_pool")).isZero();
        assertThat(value(before, "weft_pool_open_slots", "pool=default_pool")).isEqualTo(128);
        double scheduledPasses = value(before, "weft_scheduler_scheduler_loop_duration_seconds_count");

        String runId = SERVER.expect(200, "POST", "/api/v1/dags/metrics_it/dagRuns", "user", "{}")
                .get("dag_run_id").asText();
        Map<String, Double> waiting = awaitScrape("the sensor waits in reschedule mode",
                m -> value(m, "weft_sensors_waiting", "mode=reschedule") == 1);
        assertThat(value(waiting, "weft_sensor_pokes_total", "mode=reschedule")).isPositive();
        awaitScrape("boom's failure is counted",
                m -> value(m, "weft_ti_failures_total", "dag_id=metrics_it", "task_id=boom") == 1);

        Files.writeString(go, "here");
        Map<String, Double> holding = awaitScrape("hold runs in the default pool",
                m -> value(m, "weft_pool_running_slots", "pool=default_pool") == 1);
        assertThat(value(holding, "weft_pool_open_slots", "pool=default_pool")).isEqualTo(127);
        assertThat(value(holding, "weft_executor_running_tasks")).isEqualTo(1);
        assertThat(value(holding, "weft_sensors_waiting", "mode=reschedule")).isZero();
        assertThat(value(holding, "weft_ti_successes_total", "dag_id=metrics_it", "task_id=wait")).isEqualTo(1);
        assertThat(value(holding, "weft_ti_finish_total", "dag_id=metrics_it", "task_id=wait", "state=success"))
                .isEqualTo(1);
        assertThat(value(holding, "weft_ti_finish_total", "dag_id=metrics_it", "task_id=wait",
                "state=up_for_reschedule")).as("a poke that waits on does not end the try").isZero();

        Files.writeString(release, "go on");
        Map<String, Double> after = awaitScrape("the run ended and its slot is free",
                m -> value(m, "weft_dagrun_duration_seconds_count", "dag_id=metrics_it", "state=failed") == 1
                        && value(m, "weft_pool_running_slots", "pool=default_pool") == 0);
        assertThat(SERVER.expect(200, "GET", "/api/v1/dags/metrics_it/dagRuns/" + runId, "viewer", null)
                .get("state").asText()).isEqualTo("failed");
        assertThat(value(after, "weft_ti_finish_total", "dag_id=metrics_it", "task_id=hold", "state=success"))
                .isEqualTo(1);
        assertThat(value(after, "weft_ti_finish_total", "dag_id=metrics_it", "task_id=boom", "state=failed"))
                .isEqualTo(1);
        assertThat(value(after, "weft_pool_open_slots", "pool=default_pool")).isEqualTo(128);
        assertThat(value(after, "weft_executor_queued_tasks")).isZero();
        assertThat(value(after, "weft_writeback_batch_size_outcomes_count")).isPositive();
        assertThat(value(after, "weft_scheduler_scheduler_loop_duration_seconds_count")).isGreaterThan(scheduledPasses);
        assertThat(value(after, "weft_dag_processing_import_errors")).isZero();
    }

    /** Every sample of a scrape, keyed by its name and labels as {@code name{a=x,b=y}} with the labels sorted. */
    private static Map<String, Double> scrape() {
        ApiServer.Reply reply = SERVER.send("GET", "/metrics", "viewer", null, Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).collect(Collectors.toMap(
                l -> key(l.substring(0, l.lastIndexOf(' '))), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
    }

    private static String key(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        String labels = series.substring(brace + 1, series.length() - 1);
        return series.substring(0, brace) + Arrays.stream(labels.split(",")).map(l -> l.replace("\"", ""))
                .sorted().collect(Collectors.joining(",", "{", "}"));
    }

    /** A sample's value; 0 when the series does not exist yet (a counter nothing has counted). */
    private static double value(Map<String, Double> metrics, String name, String... labels) {
        String key = labels.length == 0 ? name
                : name + Arrays.stream(labels).sorted().collect(Collectors.joining(",", "{", "}"));
        return metrics.getOrDefault(key, 0.0);
    }

    private static Map<String, Double> awaitScrape(String what, Predicate<Map<String, Double>> done)
            throws InterruptedException {
        long until = System.nanoTime() + PATIENCE.toNanos();
        Map<String, Double> metrics = scrape();
        while (!done.test(metrics)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("Waited " + PATIENCE + " for: " + what + "; weft_ metrics now: "
                        + metrics.entrySet().stream().filter(e -> e.getKey().startsWith("weft_"))
                        .map(Object::toString).sorted().collect(Collectors.joining("\n")));
            }
            Thread.sleep(250);
            metrics = scrape();
        }
        return metrics;
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        awaitScrape(what, m -> done.getAsBoolean());
    }
}
