package dev.weft.cli;

import dev.weft.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/tutorial.md as a user follows it: {@code weft standalone --no-examples} on a temporary WEFT_HOME and port,
 * then every {@code sh} block of the tutorial, literally and in order, in bash (variables carry over from block to
 * block, as in one terminal), each followed by a check of what the text promises. {@code ./weft} is a stand-in for
 * the launcher without its build step (which would run Maven inside Maven). Two settings differ from a plain start, both for speed: the database is the tests' PostgreSQL instead of
 * the embedded one, and {@code sensorDeadlockAfterSeconds} is 5 instead of 300 (the tutorial says "after five
 * minutes").
 */
class TutorialIT {
    private static final Path TUTORIAL = Path.of("../docs/tutorial.md");
    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```\\n");
    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    Path home;
    @TempDir
    Path work;
    private final TestDatabase db = TestDatabase.create();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;
    private int port;
    private String password;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
        db.close();
    }

    @Test
    void theTutorialRunsAsWritten() throws Exception {
        List<String> blocks = shellBlocks(Files.readString(TUTORIAL));
        assertThat(blocks).as("the sh blocks of the tutorial; each has its check below").hasSize(15);
        startStandalone();
        writeLauncher();

        // 0. The client reaches the server.
        assertThat(run(blocks.get(0))).isNotBlank();

        // 1. The file sensor waits; supermarket 1's upload lets the run through.
        run(blocks.get(1));
        assertThat(run(blocks.get(2))).contains("up_for_reschedule");
        assertThat(run(blocks.get(3))).contains("day1").contains("success");
        assertThat(runState("tutorial_file_sensor", "day1")).isEqualTo("success");

        // 2. _SUCCESS alone does not pass the rule; data-*.csv with _SUCCESS does.
        run(blocks.get(4));
        run(blocks.get(5)); // its sleep leaves time for two pokes with _SUCCESS there
        assertThat(taskState("tutorial_promotions", "day1", "wait_for_supermarket_2")).isEqualTo("up_for_reschedule");
        assertThat(log("tutorial_promotions", "day1", "wait_for_supermarket_2", 1))
                .contains("Command exited with return code 1");
        assertThat(run(blocks.get(6))).contains("success");
        await(() -> "success".equals(runState("tutorial_promotions", "day1")));

        // 3. Poke mode: the sensors hold both slots, reports starve, the deadlock is reported. Reschedule: no.
        run(blocks.get(7));
        await(() -> deadlocks().contains("\"tutorial_poke\""));
        await(() -> runs("tutorial_reschedule").size() == 3 && runs("tutorial_reschedule").stream()
                .allMatch(r -> "success".equals(taskState("tutorial_reschedule", r, "report"))));
        assertThat(runs("tutorial_poke")).hasSize(3);
        assertThat(runs("tutorial_poke").stream().map(r -> taskState("tutorial_poke", r, "report")))
                .contains("scheduled");
        assertThat(deadlocks()).doesNotContain("tutorial_reschedule");
        assertThat(run(blocks.get(8))).contains("tutorial_poke").contains("use mode reschedule");

        // 4. The trigger task started a run of tutorial_metrics with the supermarket's conf.
        assertThat(run(blocks.get(9))).contains("supermarket_2__day1");
        String metricsRun = get("/api/v1/dags/tutorial_metrics/dagRuns/supermarket_2__day1");
        assertThat(metricsRun).contains("\"state\":\"success\"").contains("\"run_type\":\"manual\"")
                .contains("\"supermarket_id\":2");
        assertThat(log("tutorial_metrics", "supermarket_2__day1", "compute_differences", 1))
                .contains("computing the metrics of supermarket 2");

        // 5. Clearing the trigger task reruns the triggered run.
        run(blocks.get(10));
        await(() -> get("/api/v1/dags/tutorial_metrics/dagRuns/supermarket_2__day1/taskInstances/compute_differences")
                .contains("\"try_number\":2") && "success".equals(runState("tutorial_metrics", "supermarket_2__day1")));

        // 6. PT6H fails at once and names PT2H; with PT2H and a clear, every run succeeds.
        assertThat(run(blocks.get(11))).contains("set execution_delta=PT2H").contains("T12:00:00Z");
        run(blocks.get(12));
        await(() -> !runs("tutorial_dag_2").isEmpty() && runs("tutorial_dag_2").stream()
                .allMatch(r -> "success".equals(runState("tutorial_dag_2", r))));

        // 7. The conf from the CLI reaches the tasks; the REST call starts a run too.
        assertThat(run(blocks.get(13))).contains("dag_run.conf: {'supermarket_id': 1}").contains("\"conf\"");
        assertThat(runs("tutorial_conf")).hasSize(2);

        // 8. Every example DAG file of the checkout loads when copied, and its runs succeed on the generated data;
        // supermarket 3's data ends tutorial_poke's deadlock.
        String importErrors = run(blocks.get(14));
        assertThat(get("/api/v1/importErrors")).as("%s", importErrors).contains("\"total_entries\":0");
        assertThat(runs("listing_6_03_poke_yaml")).as("starts paused").isEmpty();
        for (String dagId : List.of("listing_6_01_yaml", "listing_6_02_yaml", "listing_6_03_yaml",
                "listing_6_04_dag01_yaml", "listing_6_04_dag02_yaml", "figure_6_20_dag_1_yaml", "figure_6_20_dag_2_yaml",
                "execution_date_fn_dag_1_yaml", "execution_date_fn_dag_2_yaml", "dataset_supermarket_1_yaml",
                "dataset_create_metrics_yaml", "tutorial_poke")) {
            await(Duration.ofMinutes(3), () -> !runs(dagId).isEmpty()
                    && runs(dagId).stream().allMatch(r -> "success".equals(runState(dagId, r))));
        }
        assertThat(runs("listing_6_04_dag02_yaml")).as("a run per supermarket and day")
                .hasSize(4 * runs("listing_6_04_dag01_yaml").size());
    }

    /** The tutorial's {@code sh} blocks, in order. */
    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private void startStandalone() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(work.resolve("weft.yml"), """
                databaseUrl: "%s"
                sensorDeadlockAfterSeconds: 5
                """.formatted(db.url()));
        ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "dev.weft.server.WeftApplication", "standalone", config.toString(), "--port", String.valueOf(port),
                "--no-examples");
        environment(pb.environment());
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("standalone.log").toFile());
        server = pb.start();
        Path passwordFile = home.resolve("standalone_admin_password.txt");
        await(() -> Files.exists(passwordFile) && health());
        password = Files.readString(passwordFile).strip();
    }

    /**
     * {@code ./weft}: what the launcher runs, without its build step: the packaged client jar on the launcher's fast
     * client JVM, and the data generator from this build's classes.
     */
    private void writeLauncher() throws IOException {
        Path cliJar = Path.of("target/weft-cli.jar").toAbsolutePath();
        assertThat(cliJar).as("packaged before the integration tests").exists();
        Path weft = work.resolve("weft");
        Files.writeString(weft, """
                #!/usr/bin/env bash
                if [ "$1" = examples ]; then
                  shift
                  exec '%1$s' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '%2$s' dev.weft.examples.SupermarketData "$@"
                fi
                exec '%1$s' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \\
                  -XX:SharedArchiveFile='%3$s' -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off \\
                  -jar '%4$s' "$@"
                """.formatted(java(), System.getProperty("java.class.path"), work.resolve("weft-cli.jsa"), cliJar));
        Files.setPosixFilePermissions(weft, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The tutorial's terminal is in the checkout: step 8 copies the example DAG files from it.
        Files.createSymbolicLink(work.resolve("examples"), Path.of("../examples").toAbsolutePath().normalize());
    }

    /** The tutorial's terminal: WEFT_HOME and WEFT_URL of this server; nothing else of Weft's from the build. */
    private void environment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("WEFT_"));
        env.put("WEFT_HOME", home.toString());
        env.put("WEFT_URL", "http://localhost:" + port);
    }

    /** Runs one block in bash in the working folder, with the variables the blocks before it exported. */
    private String run(String block) throws Exception {
        Path vars = work.resolve("vars.sh");
        Path script = Files.writeString(work.resolve("block.sh"), "set -eo pipefail\n"
                + "if [ -f '" + vars + "' ]; then . '" + vars + "'; fi\n"
                + "cd '" + work + "'\n" + block + "\nexport -p > '" + vars + "'\n");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(work.toFile());
        environment(pb.environment());
        pb.redirectErrorStream(true);
        Process bash = pb.start();
        boolean ended = bash.waitFor(STEP.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            bash.destroyForcibly();
        }
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended && bash.exitValue() == 0).as("the block%n%s%nended with %s; its output:%n%s%nthe server's "
                + "log ends:%n%s", block, ended ? "exit code " + bash.exitValue() : "a timeout", out, serverLogTail())
                .isTrue();
        return out;
    }

    private String serverLogTail() throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("standalone.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private boolean health() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String path) {
        try {
            String auth = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().replaceAll("\\s*([:,{}\\[\\]])\\s*", "$1") : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z_]+)\"");
    private static final Pattern RUN_ID = Pattern.compile("\"dag_run_id\":\"([^\"]+)\"");

    private String runState(String dagId, String runId) {
        Matcher m = STATE.matcher(get("/api/v1/dags/" + dagId + "/dagRuns/" + enc(runId)));
        return m.find() ? m.group(1) : null;
    }

    private String taskState(String dagId, String runId, String taskId) {
        Matcher m = STATE.matcher(get("/api/v1/dags/" + dagId + "/dagRuns/" + enc(runId) + "/taskInstances/" + taskId));
        return m.find() ? m.group(1) : null;
    }

    private List<String> runs(String dagId) {
        Matcher m = RUN_ID.matcher(get("/api/v1/dags/" + dagId + "/dagRuns"));
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private String log(String dagId, String runId, String taskId, int tryNumber) {
        return get("/api/v1/dags/" + dagId + "/dagRuns/" + enc(runId) + "/taskInstances/" + taskId + "/logs/"
                + tryNumber);
    }

    private String deadlocks() {
        return get("/api/v1/weft/sensorDeadlocks");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void await(BooleanSupplier condition) throws Exception {
        await(STEP, condition);
    }

    private void await(Duration limit, BooleanSupplier condition) throws Exception {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(server.isAlive()).as("standalone is running; its log ends:%n%s", serverLogTail()).isTrue();
            assertThat(Instant.now()).as("waited %s; the server's log ends:%n%s", limit, serverLogTail())
                    .isBefore(end);
            Thread.sleep(500);
        }
    }
}
