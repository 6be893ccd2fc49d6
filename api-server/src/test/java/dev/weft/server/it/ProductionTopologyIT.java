package dev.weft.server.it;

import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.store.UserStore;
import dev.weft.store.TestDatabase;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production topology as separate processes on one PostgreSQL: {@code weft server} (API only), schedulers and
 * workers. A 10-task chain triggered over REST ends well under one tick (1 s), which it cannot without the wake-ups
 * the processes send each other through the database: the trigger to a scheduler, the queued first task to a worker,
 * the last write-back to a scheduler; after the database terminated every connection of one scheduler, the one
 * listening for wake-ups included, the next chain still ends. And health tells the truth: kill -9 of the only
 * scheduler shows in {@code /api/v1/health}, without a login, within its threshold.
 */
class ProductionTopologyIT {
    private static final String CHAIN = """
            dag_id: chain_10
            schedule: null
            is_paused_upon_creation: false
            max_active_runs: 100
            tasks:
            %s
            chains:
              - [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9]
            """.formatted(String.join("\n", java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> "  - {task_id: t" + i + ", type: standard.empty}").toList()));
    private static final String ADMIN = "admin:admin-pw-1";
    private static final int THRESHOLD_SECONDS = 10;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;
    private final TestDatabase db = TestDatabase.create();
    private final WeftDatabase store = db.database();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int apiPort;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        http.close();
        db.close();
    }

    @Test
    void aChainEndsWellUnderOneTickAndAfterASchedulersConnectionsWereTerminated() throws Exception {
        String database = "databaseUrl: \"" + db.url() + "\"\nloadExamples: false\n";
        createAdmin();
        apiPort = launch("server", "api", database + "runScheduler: false\nworkerSlots: 0\n").port();
        Process schedulerA = launch("scheduler", "scheduler-a", database).process();
        launch("scheduler", "scheduler-b", database);
        launch("worker", "worker-a", database + "workerSlots: 4\n");
        launch("worker", "worker-b", database + "workerSlots: 4\n");
        await("the DAG loaded, two workers and the API up", Duration.ofSeconds(120),
                () -> store.dags().header("chain_10").isPresent() && liveWorkers() == 2 && apiAnswers());

        // Warm-up: class loading and the JIT of five JVMs are not what this measures. Twenty runs at once, then one.
        for (int i = 0; i < 20; i++) {
            trigger("warm_up_" + i);
        }
        for (int i = 0; i < 20; i++) {
            awaitSuccess("warm_up_" + i);
        }
        runChain("warm_up");
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            millis.add(runChain("chain_" + i).toMillis());
        }
        millis.sort(null);
        assertThat(millis.get(1)).as("median ms, run created → run end, of 3 chains of 10 tasks (each: %s)", millis)
                .isLessThan(1000);

        Path logA = home.resolve("scheduler-a").resolve("scheduler.log");
        int terminated = store.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = :name""").bind("name", "weft pid " + schedulerA.pid())
                .mapTo(Integer.class).one());
        assertThat(terminated).as("backends of scheduler A terminated").isPositive();
        await("scheduler A listens again", Duration.ofSeconds(30),
                () -> Files.readString(logA).contains("Listening for wake-ups again"));
        Duration after = runChain("after_termination");
        System.out.printf("ProductionTopologyIT: chain of 10, run created → run end: %s ms (median %d ms); after "
                + "%d backends of a scheduler were terminated: %d ms%n", millis, millis.get(1), terminated,
                after.toMillis());
    }

    @Test
    void killNineOfTheOnlySchedulerShowsInHealthWithinItsThreshold() throws Exception {
        String database = "databaseUrl: \"" + db.url() + "\"\nloadExamples: false\n";
        createAdmin();
        Path apiDags = Files.createDirectories(home.resolve("api").resolve("dags"));
        Files.writeString(apiDags.resolve("only_api.yaml"), CHAIN.replace("chain_10", "only_api"));
        apiPort = launch("server", "api", database + "runScheduler: false\nworkerSlots: 0\n"
                + "schedulerHealthCheckThresholdSeconds: " + THRESHOLD_SECONDS + "\n").port();
        Process scheduler = launch("scheduler", "scheduler", database).process();
        launch("worker", "worker", database + "workerSlots: 2\n");
        await("the scheduler healthy, a worker listed", Duration.ofSeconds(120), () -> apiAnswers()
                && health().contains("\"scheduler\":{\"status\":\"healthy\"") && processes().contains("\"pid\":"
                + scheduler.pid()) && liveWorkers() == 1 && store.dags().header("chain_10").isPresent());
        assertThat(store.dags().header("only_api")).as("a DAG only in the API server's DAGs folder (it runs no DAG "
                + "processor without a scheduler)").isEmpty();
        assertThat(health()).contains("\"metadatabase\":{\"status\":\"healthy\"");
        assertThat(processes()).contains("\"workers\":[{\"id\":");
        assertThat(get("/api/v1/weft/health").statusCode()).as("the processes without a login").isEqualTo(401);
        for (String probe : List.of("/health/live", "/health/ready")) {
            assertThat(get(probe).statusCode()).as(probe).isEqualTo(200);
        }

        scheduler.destroyForcibly().waitFor();   // SIGKILL: it cannot say it stopped
        long killed = System.nanoTime();
        await("health reports the scheduler unhealthy", Duration.ofSeconds(THRESHOLD_SECONDS * 3),
                () -> health().contains("\"scheduler\":{\"status\":\"unhealthy\""));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
        // Its last heartbeat came at most 5 s (+ a pass) before the kill: unhealthy no later than the threshold after.
        assertThat(seconds).as("seconds from kill -9 to unhealthy").isLessThanOrEqualTo(THRESHOLD_SECONDS);
        assertThat(processes()).contains("\"pid\":" + scheduler.pid() + ",\"latest_heartbeat\"");
    }

    /** Every scheduler and worker, as an Admin sees them. */
    private String processes() {
        return BasicAuthHttp.send(http, URI.create("http://localhost:" + apiPort + "/api/v1/weft/health"), "GET", ADMIN,
                null, Map.of()).body();
    }

    private void createAdmin() {
        store.users().create(new UserStore.User("admin", PasswordHasher.hash("admin-pw-1"), "Admin", null, "A",
                "Admin", true, null, null, 0, null));
    }

    private String health() {
        return get("/api/v1/health").body();
    }

    private HttpResponse<String> get(String path) {
        return BasicAuthHttp.send(http, URI.create("http://localhost:" + apiPort + path), "GET", null, null, Map.of());
    }

    /**
     * Triggers a run of chain_10 over REST and returns the run's creation → its end, once it succeeded (the request's
     * own time, mostly checking the password, is not what the wake-ups change).
     */
    private Duration runChain(String runId) throws Exception {
        trigger(runId);
        awaitSuccess(runId);
        double seconds = store.jdbi().withHandle(h -> h.createQuery("""
                        SELECT extract(epoch FROM end_date - queued_at) FROM dag_run
                        WHERE dag_id = 'chain_10' AND run_id = :r""").bind("r", runId).mapTo(Double.class).one());
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private void trigger(String runId) {
        HttpResponse<String> r = BasicAuthHttp.send(http, URI.create("http://localhost:" + apiPort
                + "/api/v1/dags/chain_10/dagRuns"), "POST", ADMIN, "{\"dag_run_id\": \"" + runId + "\"}", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private void awaitSuccess(String runId) throws Exception {
        await("run " + runId + " ended", Duration.ofSeconds(120), () -> runState(runId) != null
                && !List.of("queued", "running").contains(runState(runId)));
        assertThat(runState(runId)).isEqualTo("success");
    }

    private String runState(String runId) {
        return store.jdbi().withHandle(h -> h.createQuery(
                "SELECT state FROM dag_run WHERE dag_id = 'chain_10' AND run_id = :r").bind("r", runId)
                .mapTo(String.class).findOne().orElse(null));
    }

    private int liveWorkers() {
        return store.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM worker WHERE stopped_at IS NULL")
                .mapTo(Integer.class).one());
    }

    private boolean apiAnswers() {
        try {
            return get("/api/v1/health").statusCode() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private ServerProcess.Started launch(String command, String name, String settings) throws Exception {
        Path dir = Files.createDirectories(home.resolve(name));
        if (command.equals("scheduler")) {
            Files.writeString(Files.createDirectories(dir.resolve("dags")).resolve("chain_10.yaml"), CHAIN);
        }
        ServerProcess.Started started = ServerProcess.launch(command, dir, settings, Map.of());
        processes.add(started.process());
        return started;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration limit, Check check) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + limit);
            }
            Thread.sleep(20);
        }
    }
}
