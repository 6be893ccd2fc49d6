package dev.weft.bench;

import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.server.WeftApplication;
import dev.weft.server.WeftConfiguration;
import io.dropwizard.core.setup.Environment;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real Weft server ({@code weft server}: Dropwizard, Jetty, the REST API, the scheduler and a worker) started in
 * this process on a benchmark database, on a free port of the loopback interface, with a known admin user; and an
 * HTTP client that speaks to it as that user.
 */
final class BenchServer implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String PASSWORD = "bench-admin-password";

    /** A response and how long it took on the client, from sending the request to having read the whole body. */
    record Reply(int status, String body, long micros) {
    }

    private final Server server;
    private final Path home;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String authorization = "Basic " + Base64.getEncoder().encodeToString(
            (ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private BenchServer(Server server, Path home) {
        this.server = server;
        this.home = home;
        this.port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * Starts {@code weft server} against {@code db} with the given parallelism and worker slots, no example DAGs,
     * warnings only (on standard error) and no request log; {@code dagFiles} (name → YAML) go into its DAGs folder
     * and load as in production. The server is stopped before the database is dropped.
     */
    static BenchServer start(BenchDatabase db, int parallelism, int workerSlots, java.util.Map<String, String> dagFiles)
            throws Exception {
        Path home = Files.createTempDirectory("weft-bench-server");
        Path dags = Files.createDirectories(home.resolve("dags"));
        for (var file : dagFiles.entrySet()) {
            Files.writeString(dags.resolve(file.getKey()), file.getValue());
        }
        db.weft().users().create(new UserStore.User(ADMIN, PasswordHasher.hash(PASSWORD), "Admin", null, "Bench",
                "Admin", true, null, null, 0, null));
        Path config = home.resolve("weft.yml");
        Files.writeString(config, configuration(home, 0, """
                databaseUrl: "%s"
                parallelism: %d
                workerSlots: %d
                loadExamples: false
                """.formatted(db.url(), parallelism, workerSlots)));
        CompletableFuture<Server> started = new CompletableFuture<>();
        WeftApplication application = new WeftApplication() {
            @Override
            public void run(WeftConfiguration configuration, Environment environment) {
                super.run(configuration, environment);
                environment.lifecycle().addServerLifecycleListener(started::complete);
            }
        };
        // Liquibase (the server migrates at start, here a no-op) writes to standard output: the table's place.
        BenchDatabase.withoutStandardOutput(() -> application.run("server", config.toString()));
        BenchServer benchServer = new BenchServer(started.get(2, TimeUnit.MINUTES), home);
        db.closeFirst(benchServer);
        return benchServer;
    }

    /**
     * A configuration file: WEFT_HOME {@code home}, HTTP on the loopback interface at {@code port} (0: any free one),
     * no request log, warnings only, on standard error; then {@code settings} (YAML lines).
     */
    static String configuration(Path home, int port, String settings) {
        return """
                weftHome: "%s"
                server:
                  type: simple
                  applicationContextPath: /
                  adminContextPath: /ops
                  connector:
                    type: http
                    bindHost: 127.0.0.1
                    port: %d
                  requestLog:
                    appenders: []
                logging:
                  level: WARN
                  appenders:
                    - type: console
                      target: stderr
                """.formatted(home, port) + settings;
    }

    /** A DAG file of {@code tasks} independent {@code standard.empty} tasks, no schedule, high limits. */
    static String dagFile(String dagId, int tasks) {
        StringBuilder yaml = new StringBuilder("dag_id: " + dagId + "\nschedule: null\nmax_active_runs: 10000\n"
                + "max_active_tasks: 100000\nis_paused_upon_creation: false\ntasks:\n");
        for (int i = 0; i < tasks; i++) {
            yaml.append("  - task_id: ").append(BenchEngine.taskId(i)).append("\n    type: standard.empty\n");
        }
        return yaml.toString();
    }

    /** Waits until the server knows the DAG (its DAG processor has loaded the file). */
    void awaitDag(String dagId, Duration timeout) throws Exception {
        Waits.until(timeout, 50, () -> send("GET", "/api/v1/dags/" + dagId, null).status() == 200,
                () -> "the server did not load DAG " + dagId + " within " + timeout);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sends a request as the admin user; {@code body} is JSON or null. */
    Reply send(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).header("Authorization", authorization);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), (System.nanoTime() - start) / 1000);
    }

    /** Sends a request and fails unless it answers {@code expected}. */
    Reply expect(int expected, String method, String pathAndQuery, String body) throws IOException,
            InterruptedException {
        Reply r = send(method, pathAndQuery, body);
        if (r.status() != expected) {
            throw new IllegalStateException(method + " " + pathAndQuery + " answered " + r.status() + ", expected "
                    + expected + ": " + r.body());
        }
        return r;
    }

    /** Stops the server (its scheduler and worker too) and removes its home; closing again does nothing. */
    @Override
    public synchronized void close() throws Exception {
        if (server.isStarted()) {
            server.stop();
        }
        http.close();
        BenchPostgres.deleteQuietly(home);
    }
}
