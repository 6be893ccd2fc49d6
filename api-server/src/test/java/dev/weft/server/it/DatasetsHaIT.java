package dev.weft.server.it;

import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.store.UserStore;
import dev.weft.store.WeftDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Datasets under HA: two schedulers (one of them in the API server) and a worker as separate processes on one
 * PostgreSQL. 1,000 events posted over REST in parallel, a tenth of them repeating an earlier idempotency key, make
 * one event per key;
 * a DAG with {@code max_active_runs: 1} scheduled on the dataset consumes every event in exactly one run, and none is
 * left queued 60 s after the last. (The latency of one event is measured by the bench's datasets scenario.)
 */
class DatasetsHaIT {
    private static final String CONSUMER = """
            dag_id: ha_consumer
            schedule: [ "ha://orders" ]
            is_paused_upon_creation: false
            max_active_runs: 1
            tasks:
              - {task_id: use, type: standard.empty}
            """;
    private static final String ADMIN = "admin:admin-pw-1";
    private static final int EVENTS = 1000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;
    private final EngineProcesses processes = new EngineProcesses();
    private final WeftDatabase store = processes.database().database();
    private final HttpClient http = HttpClient.newHttpClient();
    private int apiPort;

    @AfterEach
    void stop() throws Exception {
        http.close();
        processes.close();
    }

    @Test
    void everyEventIsConsumedExactlyOnceByTwoSchedulers() throws Exception {
        String database = processes.databaseSetting() + "loadExamples: false\n";
        store.users().create(new UserStore.User("admin", PasswordHasher.hash("admin-pw-1"), "Admin", null, "A",
                "Admin", true, null, null, 0, null));
        // The API server is one of the two schedulers (three JVMs, not four: this test runs on loaded machines too).
        apiPort = launch("server", "api", database + "workerSlots: 0\n").port();
        launch("scheduler", "scheduler-b", database);
        launch("worker", "worker", database + "workerSlots: 8\n");
        processes.await(Duration.ofMinutes(10), () -> store.datasets().find("ha://orders").isPresent()
                && apiAnswers());

        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Integer>> posted = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String key = "order-" + (i % 10 == 9 ? i - 1 : i); // every tenth repeats the key before it
            posted.add(clients.submit(() -> post("ha://orders", key).statusCode()));
        }
        for (Future<Integer> status : posted) {
            assertThat(status.get()).isEqualTo(200);
        }
        clients.shutdown();
        long lastPosted = System.nanoTime();

        // None stranded: within 60 s of the last post, every event consumed and no run left.
        processes.await(Duration.ofSeconds(60), () -> count(
                "SELECT count(*) FROM dataset_event_queue") == 0 && count("SELECT count(*) FROM dag_run"
                + " WHERE dag_id = 'ha_consumer' AND state IN ('queued', 'running')") == 0);
        long drained = System.nanoTime() - lastPosted;
        long events = count("SELECT count(*) FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id"
                + " WHERE d.uri = 'ha://orders'");
        assertThat(events).as("one event per idempotency key").isEqualTo(EVENTS - EVENTS / 10);
        assertThat(count("SELECT count(*) FROM dagrun_dataset_event WHERE target_dag_id = 'ha_consumer'"))
                .as("consumptions").isEqualTo(events);
        assertThat(count("SELECT count(DISTINCT event_id) FROM dagrun_dataset_event"
                + " WHERE target_dag_id = 'ha_consumer'")).as("events consumed").isEqualTo(events);
        long runs = count("SELECT count(*) FROM dag_run WHERE dag_id = 'ha_consumer'");
        assertThat(count("SELECT count(*) FROM dag_run WHERE dag_id = 'ha_consumer' AND state = 'success'"))
                .isEqualTo(runs);
        assertThat(count("SELECT count(*) FROM dag_run r WHERE dag_id = 'ha_consumer' AND NOT EXISTS"
                + " (SELECT 1 FROM dagrun_dataset_event c WHERE c.dag_run_id = r.id)")).as("runs without events")
                .isZero();

        System.out.printf("DatasetsHaIT: %d events posted (%d keys) → %d runs of ha_consumer, queue empty %d ms"
                + " after the last post%n", EVENTS, events, runs, TimeUnit.NANOSECONDS.toMillis(drained));
    }

    private HttpResponse<String> post(String uri, String key) {
        return BasicAuthHttp.send(http, URI.create("http://localhost:" + apiPort + "/api/v1/datasets/events"), "POST",
                ADMIN, "{\"dataset_uri\": \"" + uri + "\", \"extra\": {\"dedup_key\": \"" + key + "\"}}", Map.of());
    }

    private long count(String sql) {
        return store.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private boolean apiAnswers() {
        try {
            return BasicAuthHttp.send(http, URI.create("http://localhost:" + apiPort + "/api/v1/health"), "GET", null,
                    null, Map.of()).statusCode() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private ServerProcess.Started launch(String command, String name, String settings) throws Exception {
        Path dir = Files.createDirectories(home.resolve(name));
        if (!command.equals("worker")) {
            Files.writeString(Files.createDirectories(dir.resolve("dags")).resolve("consumers.yaml"), CONSUMER);
        }
        return processes.start(command, dir, settings);
    }
}
