package dev.weft.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.store.UserStore;
import dev.weft.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with plugins installed the way a user installs them, by copying folders into
 * {@code WEFT_HOME/plugins}: the http plugin's packaged jar, a plugin whose constructor throws, and a probe plugin
 * built here. The DAG waits with http.sensor for a local endpoint to become ready, calls it with http.operator, and
 * runs a standard task: the run succeeds, the response is in the output and the log, every try names its plugin and
 * version, the broken plugin is reported with its jar and reason, and plugin code runs in its own class loader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpPluginIT {
    private static final String DAG = HttpTestDags.DAG_ID;
    private static final String RUN_ID = "scheduled__2026-01-01T00:00:00+00:00";

    private Path home;
    private final TestDatabase db = TestDatabase.create();
    private HttpServer api;
    private final AtomicInteger healthCalls = new AtomicInteger();
    private final List<String> echoed = new CopyOnWriteArrayList<>();
    private final List<String> hooked = new CopyOnWriteArrayList<>();
    private final List<String> dagHooked = new CopyOnWriteArrayList<>();
    private Process server;
    private int port;
    private String httpPluginVersion;
    private Path httpJar;
    private Path brokenJar;

    @BeforeAll
    void startEverything(@TempDir Path home) throws Exception {
        this.home = home;
        startApi();
        installPlugins();
        server = startServer();
        // Generous: the server alone takes over 100 s to start on a loaded 2-core machine.
        await(Duration.ofSeconds(300), () -> runState() != null && runState().matches("success|failed"));
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (api != null) {
            api.stop(0);
        }
        db.close();
    }

    /** {@code /health} answers 503 twice, then 200 "ready"; {@code /echo} answers with what it received. */
    private void startApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/health", ex -> {
            boolean ready = healthCalls.incrementAndGet() > 2;
            reply(ex, ready ? 200 : 503, ready ? "{\"status\": \"ready\"}" : "{\"status\": \"starting\"}");
        });
        api.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String echo = "{\"method\": \"" + ex.getRequestMethod() + "\", \"query\": \"" + ex.getRequestURI().getRawQuery()
                    + "\", \"task\": \"" + ex.getRequestHeaders().getFirst("X-Weft-Task")
                    + "\", \"agent\": \"" + ex.getRequestHeaders().getFirst("User-Agent") + "\", \"body\": " + body + "}";
            echoed.add(echo);
            reply(ex, 200, echo);
        });
        api.createContext("/hook", ex -> {
            hooked.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 200, "ok");
        });
        api.createContext("/dag-hook", ex -> {
            dagHooked.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 200, "ok");
        });
        api.start();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String apiUrl() {
        return "http://" + api.getAddress().getAddress().getHostAddress() + ":" + api.getAddress().getPort();
    }

    private void installPlugins() throws IOException {
        Path built = Path.of("target/it-plugins/http");
        List<Path> jars;
        try (Stream<Path> files = Files.exists(built) ? Files.list(built) : Stream.empty()) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).toList();
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected the http plugin's jar in " + built.toAbsolutePath() + ", found "
                    + jars + ": build it with ./mvnw verify -pl api-server -am (maven-dependency-plugin copies it "
                    + "there before the integration tests)");
        }
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        httpJar = Files.createDirectories(plugins.resolve("http")).resolve(jars.get(0).getFileName());
        Files.copy(jars.get(0), httpJar, StandardCopyOption.REPLACE_EXISTING);
        try (JarFile jar = new JarFile(httpJar.toFile())) {
            httpPluginVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertThat(httpPluginVersion).isNotBlank();

        brokenJar = PluginJars.build(plugins.resolve("broken/broken-plugin.jar"), Map.of("com.acme.broken.BrokenPlugin", """
                package com.acme.broken;
                public class BrokenPlugin implements dev.weft.spi.Plugin {
                    public BrokenPlugin() { throw new IllegalStateException("licence key missing"); }
                    @Override public String name() { return "broken"; }
                }
                """), "com.acme.broken.BrokenPlugin", "1.0");

        // The probe brings its own copy of a class that is also on Weft's class path (a Jackson class).
        PluginJars.build(plugins.resolve("probe/probe-plugin.jar"), Map.of(
                "com.fasterxml.jackson.core.json.PackageVersion", """
                        package com.fasterxml.jackson.core.json;
                        public final class PackageVersion {
                            public static String whose() { return "the plugin's own copy"; }
                        }
                        """,
                "com.acme.probe.ProbePlugin", """
                        package com.acme.probe;
                        import dev.weft.spi.*;
                        import java.util.*;
                        public class ProbePlugin implements Plugin {
                            public record NoParams() {}
                            @Override public String name() { return "probe"; }
                            @Override public List<OperatorFactory<?>> operators() {
                                return List.of(new OperatorFactory<NoParams>() {
                                    @Override public String typeId() { return "probe.inspect"; }
                                    @Override public Class<NoParams> paramsType() { return NoParams.class; }
                                    @Override public Operator<NoParams> create(PluginContext c) {
                                        return (p, ctx) -> {
                                            String tccl = Thread.currentThread().getContextClassLoader().getName();
                                            ctx.log().info("context class loader: {}", tccl);
                                            return OperatorResult.success(Map.of("context_class_loader", tccl,
                                                    "jackson", com.fasterxml.jackson.core.json.PackageVersion.whose()));
                                        };
                                    }
                                });
                            }
                        }
                        """), "com.acme.probe.ProbePlugin", "0.0.7");
    }

    private Process startServer() throws IOException {
        ServerProcess.Started started = ServerProcess.launch(home, "databaseUrl: \"" + db.url() + "\"",
                Map.of("WEFT_HTTP_TEST_URL", apiUrl()));
        port = started.port();
        return started.process();
    }

    @Test
    void theDagRunsWithTheInstalledPluginAndTheStandardOnes() {
        assertThat(runState()).as(this::diagnostics).isEqualTo("success");
        assertThat(states()).as(this::diagnostics).isEqualTo(Map.of("wait_for_api", "success", "call_api", "success",
                "after_http", "success", "probe", "success"));
        assertThat(log("after_http")).contains("standard works");
    }

    @Test
    void theSensorWaitedUntilTheEndpointWasReady() {
        String log = log("wait_for_api");
        assertThat(healthCalls.get()).isGreaterThanOrEqualTo(3);
        assertThat(log).containsPattern("GET " + apiUrl() + "/health: HTTP 503 \\(\\d+ bytes in \\d+ ms\\), expected 2xx")
                .containsPattern("GET " + apiUrl() + "/health: HTTP 200 \\(\\d+ bytes in \\d+ ms\\), as expected");
    }

    @Test
    void theOperatorSentTheRenderedRequestAndKeptTheResponseInItsOutputAndLog() {
        assertThat(echoed).singleElement().asString()
                .contains("\"method\": \"POST\"", "\"query\": \"ds=2026-01-01\"", "\"task\": \"call_api\"",
                        "\"agent\": \"weft-http-plugin/" + httpPluginVersion + "\"",
                        "\"run_id\":\"" + RUN_ID + "\"", "\"supermarket_id\":1");
        String response = echoed.get(0);
        assertThat(output("call_api")).isEqualTo(response);
        // headers is sensitive: its rendered values ("call_api" here) are masked in the try's log, the echo too.
        assertThat(log("call_api")).contains("Calling POST " + apiUrl() + "/echo?ds=2026-01-01 with a JSON body",
                "Response body:", response.replace("call_api", "***"))
                .containsPattern("Response: HTTP 200 \\(\\d+ bytes in \\d+ ms\\)").doesNotContain("call_api");
    }

    /** The task panel shows the rendered params, but a param the task type calls sensitive only as ***. */
    @Test
    void theTaskPanelHidesTheSensitiveParamWhole() throws Exception {
        db.database().users().create(new UserStore.User("pages", PasswordHasher.hash("pages-password"), "Viewer",
                "pages@example.com", "Pages", "Viewer", true, null, null, 0, null));
        HttpResponse<String> page = BasicAuthHttp.send(HttpClient.newHttpClient(), URI.create("http://localhost:"
                        + port + "/dags/" + DAG + "/grid?run_id=" + URLEncoder.encode(RUN_ID, StandardCharsets.UTF_8)
                        + "&task_id=call_api"), "GET", "pages:pages-password", null, Map.of());
        assertThat(page.statusCode()).as(page::body).isEqualTo(200);
        // The query is shown rendered ({{ ds }}); the headers, templated too, are not shown at all.
        assertThat(page.body()).contains("id=\"ti-params\"", "<code>headers</code>", "&quot;***&quot;",
                "2026-01-01").doesNotContain("X-Weft-Task");
    }

    @Test
    void everyTryNamesThePluginAndVersionThatRanIt() {
        Map<String, String> plugins = db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT t.task_id, y.plugin || ' ' || y.plugin_version AS plugin
                        FROM task_try y JOIN task_instance t ON t.id = y.ti_id WHERE t.dag_id = :dag""")
                .bind("dag", DAG).setMapKeyColumn("task_id").setMapValueColumn("plugin")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
        assertThat(plugins).containsEntry("wait_for_api", "http " + httpPluginVersion)
                .containsEntry("call_api", "http " + httpPluginVersion)
                .containsEntry("probe", "probe 0.0.7")
                .hasEntrySatisfying("after_http", p -> assertThat(p).startsWith("standard "));
    }

    @Test
    void aPluginThatThrowsInItsConstructorIsReportedWithItsJarAndReasonAndTheRestLoads() throws IOException {
        String serverLog = Files.readString(home.resolve("server.log"));
        assertThat(serverLog).contains("Plugin broken from " + brokenJar + " failed to load: dev.weft.spi.Plugin: "
                + "Provider com.acme.broken.BrokenPlugin could not be instantiated "
                + "(caused by IllegalStateException: licence key missing)");
        assertThat(serverLog).contains("Loaded plugin http " + httpPluginVersion + " from " + httpJar
                + ": http.operator, http.sensor, http.webhook");
        assertThat(serverLog).containsPattern("Plugins: 3 loaded \\(standard [^,]+, http [^,]+, probe 0.0.7\\), "
                + "\\d+ types; 1 failed \\(broken\\)");
    }

    /**
     * A task with retries=1 that fails both tries: each failed try calls its callback once, with the exception, and
     * nothing more arrives afterwards; the run's failure callback says why the run failed.
     */
    @Test
    void aFailingTaskNotifiesTheWebhookOncePerFailedTryWithTheException() throws Exception {
        await(Duration.ofSeconds(120), () -> hooked.size() >= 2 && !dagHooked.isEmpty());
        Thread.sleep(3000); // time enough for a duplicate to arrive, were one sent

        String error = "java.lang.IllegalStateException: Bash command failed. The command returned a non-zero exit"
                + " code 3.";
        assertThat(hooked).as(this::diagnostics).containsExactly(
                "{\"text\":\"on_retry_callback: task fails of DAG " + HttpTestDags.CALLBACKS_DAG_ID + ", run " + RUN_ID
                        + ", try 1: up_for_retry: " + error + "\"}",
                "{\"text\":\"fails failed for good: " + error + "\"}");
        assertThat(dagHooked).containsExactly("{\"text\":\"run " + RUN_ID + " failed: task_failure\"}");
        long waiting = db.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM callback_request")
                .mapTo(Long.class).one());
        assertThat(waiting).isZero();
        String log = db.database().jdbi().withHandle(h -> String.join("\n", h.createQuery("""
                        SELECT l.line FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                        WHERE t.dag_id = :dag AND l.try_number = 2 ORDER BY l.id""")
                .bind("dag", HttpTestDags.CALLBACKS_DAG_ID).mapTo(String.class).list()));
        // The webhook's URL is secret (a Slack URL holds its token): the callback's lines never show it.
        assertThat(log).contains("Running on_failure_callback http.webhook", "Webhook notified: HTTP 200",
                "on_failure_callback http.webhook done").doesNotContain(apiUrl());
    }

    /** The engine switches the context class loader to the plugin's, and the plugin's own classes win. */
    @Test
    void pluginCodeRunsInItsOwnClassLoader() {
        Map<String, Object> probe = db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT output ->> 'context_class_loader' AS tccl, output ->> 'jackson' AS jackson
                        FROM task_instance WHERE dag_id = :dag AND task_id = 'probe'""")
                .bind("dag", DAG).mapToMap().one());
        assertThat(probe).containsEntry("tccl", "weft-plugin-probe").containsEntry("jackson", "the plugin's own copy");
        assertThat(log("probe")).contains("context class loader: weft-plugin-probe");
    }

    private String runState() {
        List<String> states = db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT state FROM dag_run WHERE dag_id = :dag").bind("dag", DAG).mapTo(String.class).list());
        return states.isEmpty() ? null : states.get(0);
    }

    private Map<String, String> states() {
        return db.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT task_id, state FROM task_instance WHERE dag_id = :dag").bind("dag", DAG)
                .setMapKeyColumn("task_id").setMapValueColumn("state")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
    }

    /** A task's output when it is a JSON string, as text; null otherwise. */
    private String output(String task) {
        return db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT CASE WHEN jsonb_typeof(output) = 'string' THEN output #>> '{}' END
                        FROM task_instance WHERE dag_id = :dag AND task_id = :t""")
                .bind("dag", DAG).bind("t", task).mapTo(String.class).one());
    }

    private String log(String task) {
        List<String> lines = db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT l.line FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                        WHERE t.dag_id = :dag AND t.task_id = :t ORDER BY l.id""")
                .bind("dag", DAG).bind("t", task).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    private String diagnostics() {
        try {
            return "states " + states() + "; server log:\n" + Files.readString(home.resolve("server.log")).lines()
                    .filter(l -> !l.startsWith("\tat")).reduce("", (a, b) -> a.length() > 20_000 ? a : a + b + "\n");
        } catch (IOException e) {
            return "states " + states() + "; no server log: " + e;
        }
    }

    private void await(Duration timeout, BooleanSupplier condition) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out; " + diagnostics());
            }
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + "; " + diagnostics());
            }
            Thread.sleep(200);
        }
    }
}
