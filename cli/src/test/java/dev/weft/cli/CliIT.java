package dev.weft.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.weft.api.model.TriggerDagRun;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.server.WeftApplication;
import dev.weft.server.WeftConfiguration;
import dev.weft.store.TestDatabase;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI end to end: a real Weft server in-process on its own test database (as the API tests start it), and the
 * CLI run as a separate process on its own class path (its classes, picocli and the API model only).
 */
class CliIT {
    static final String PASSWORD = "s3cret-pw";
    static final TestDatabase DB = TestDatabase.create();

    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = new DropwizardAppExtension<>(WeftApplication.class,
            config());

    private static WeftConfiguration config() {
        WeftConfiguration config = new WeftConfiguration();
        try {
            config.setWeftHome(Files.createTempDirectory("weft-cli-it").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setDatabaseUrl(DB.url());
        SimpleServerFactory server = new SimpleServerFactory();
        server.setApplicationContextPath("/");
        server.setAdminContextPath("/ops");
        ((HttpConnectorFactory) server.getConnector()).setPort(0);
        config.setServerFactory(server);
        ((DefaultLoggingFactory) config.getLoggingFactory()).setLevel("WARN");
        UserStore users = DB.database().users();
        for (String name : List.of("admin", "op", "user", "viewer")) {
            String role = name.equals("user") ? "User" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
            users.create(new UserStore.User(name, PasswordHasher.hash(PASSWORD), role, name + "@example.com",
                    name, "Tester", true, null, null, 0, null));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(DB::close));
        return config;
    }

    record Result(int exit, String out, String err) {
    }

    static String url() {
        return "http://localhost:" + APP.getLocalPort();
    }

    /** The CLI's run-time class path: its own classes, picocli, the API model and Jackson's annotations. */
    static String classPath() {
        List<String> cp = new ArrayList<>();
        for (Class<?> c : List.of(WeftCli.class, CommandLine.class, TriggerDagRun.class, JsonProperty.class)) {
            try {
                cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    static Result cli(Map<String, String> env, String... args) throws Exception {
        return cliWithInput(env, null, args);
    }

    /** The CLI with {@code stdin} as its standard input; a null value in {@code env} removes that variable. */
    static Result cliWithInput(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath(), WeftCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("WEFT_URL");
        pb.environment().put("WEFT_CONFIG", "/nonexistent/weft-cli-it/cli.json"); // no config file of this machine
        pb.environment().put("WEFT_USER", "admin");
        pb.environment().put("WEFT_PASSWORD", PASSWORD);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Result cli(String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_URL", url());
        return cli(env, args);
    }

    static String awaitRunEnd(String dagId, String runId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Result r = cli("dags", "list-runs", "-d", dagId, "-o", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            Map<?, ?> run = ((List<?>) Json.parse(r.out())).stream().map(o -> (Map<?, ?>) o)
                    .filter(m -> runId.equals(m.get("run_id"))).findFirst().orElseThrow();
            String state = String.valueOf(run.get("state"));
            if (state.equals("success") || state.equals("failed")) {
                return state;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("run " + runId + " still " + state);
            }
            Thread.sleep(300);
        }
    }

    @Test
    void triggerWithAConfAndReadItInTheTaskLog() throws Exception {
        Result list = cli("dags", "list", "-o", "json");
        assertThat(list.exit()).as(list.err()).isZero();
        List<?> dags = (List<?>) Json.parse(list.out());
        Map<?, ?> dag = dags.stream().map(o -> (Map<?, ?>) o).filter(d -> "listing_6_08".equals(d.get("dag_id")))
                .findFirst().orElseThrow();
        assertThat(dag.get("is_paused")).as("JSON with real types").isEqualTo(Boolean.FALSE);
        assertThat(dag.keySet()).map(String::valueOf).containsExactly("dag_id", "fileloc", "owners", "is_paused");

        Result table = cli("dags", "list");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("dag_id").contains("listing_6_08");

        Result trigger = cli("dags", "trigger", "-c", "{\"supermarket_id\":1}", "listing_6_08");
        assertThat(trigger.exit()).as(trigger.err()).isZero();
        String runId = trigger.out().trim();
        assertThat(runId).startsWith("manual__").doesNotContain("\n");

        assertThat(awaitRunEnd("listing_6_08", runId)).isEqualTo("success");

        Result log = cli("tasks", "logs", "listing_6_08", runId, "copy_to_raw");
        assertThat(log.exit()).as(log.err()).isZero();
        assertThat(log.out()).contains("supermarket_id=1");

        Result state = cli("tasks", "state", "listing_6_08", "copy_to_raw", runId);
        assertThat(state.out().trim()).isEqualTo("success");
        Result states = cli("tasks", "states-for-dag-run", "listing_6_08", runId, "-o", "plain");
        assertThat(states.exit()).as(states.err()).isZero();
        assertThat(states.out()).contains("copy_to_raw").contains("process").contains("success");

        Result again = cli("dags", "trigger", "-r", runId, "listing_6_08");
        assertThat(again.exit()).as("the run id exists: a conflict").isEqualTo(4);
        assertThat(again.err().lines()).hasSize(1);

        // Without -y: a dry run, a question, and (stdin closed) nothing cleared.
        Result ask = cli("tasks", "clear", "listing_6_08", "-t", "^copy");
        assertThat(ask.exit()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("would be cleared").contains("copy_to_raw").doesNotContain("process")
                .contains("Cancelled");
        assertThat(cli("tasks", "state", "listing_6_08", "copy_to_raw", runId).out().trim()).isEqualTo("success");
        // Bounded to this run's logical date: other tests trigger listing_6_08 too.
        String logical = runId.substring("manual__".length());
        Result clear = cli("tasks", "clear", "listing_6_08", "-t", "^copy", "-s", logical, "-e", logical, "-y");
        assertThat(clear.exit()).as(clear.err()).isZero();
        assertThat(clear.out()).contains("Cleared 1 task instance(s).");
        assertThat(awaitRunEnd("listing_6_08", runId)).isEqualTo("success");
        Result second = cli("tasks", "logs", "listing_6_08", runId, "copy_to_raw", "--try", "2");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("supermarket_id=1");
    }

    @Test
    void clearingATaskAndItsDownstreamRerunsThemAndRetriggersTheSecondDag() throws Exception {
        supermarketsHaveDelivered();
        String dag1 = "listing_6_04_dag01";
        String dag2 = "listing_6_04_dag02";
        Result trigger = cli("dags", "trigger", dag1);
        assertThat(trigger.exit()).as(trigger.err()).isZero();
        String runId = trigger.out().trim();
        assertThat(awaitRunEnd(dag1, runId)).isEqualTo("success");
        String triggered = "supermarket_1__" + runId;
        assertThat(awaitRunEnd(dag2, triggered)).isEqualTo("success");
        Map<String, String> before1 = startDates(dag1, runId);
        Map<String, String> before2 = startDates(dag2, triggered);
        String otherTriggered = "supermarket_2__" + runId;
        assertThat(awaitRunEnd(dag2, otherTriggered)).isEqualTo("success");
        Map<String, String> otherBefore = startDates(dag2, otherTriggered);

        // Without -y it lists what it would clear: the task and its downstream only.
        Result ask = cli("tasks", "clear", dag1, "-t", "process_supermarket_1", "-d");
        assertThat(ask.out()).contains("would be cleared").contains("process_supermarket_1")
                .contains("trigger_create_metrics_dag_supermarket_1").doesNotContain("copy_to_raw")
                .doesNotContain("process_supermarket_2").contains("Cancelled");
        // The acceptance's command, verbatim: every run of dag01 (the scheduler's catch-up runs too), two task
        // instances each.
        Result clear = cli("tasks", "clear", dag1, "-t", "process_supermarket_1", "-d", "-y");
        assertThat(clear.exit()).as(clear.err()).isZero();
        assertThat(clear.out()).containsPattern("Cleared [1-9][0-9]* task instance\\(s\\)\\.");

        assertThat(awaitRunEnd(dag1, runId)).isEqualTo("success");
        Map<String, String> after1 = startDates(dag1, runId);
        for (String task : List.of("process_supermarket_1", "trigger_create_metrics_dag_supermarket_1")) {
            assertThat(after1.get(task)).as(task + " ran again").isGreaterThan(before1.get(task));
        }
        for (String task : List.of("copy_to_raw_supermarket_1", "process_supermarket_2")) {
            assertThat(after1.get(task)).as(task + " not cleared").isEqualTo(before1.get(task));
        }
        // reset_dag_run: the trigger task cleared and re-ran the same run of dag02 (no new run).
        assertThat(awaitRunEnd(dag2, triggered)).isEqualTo("success");
        Map<String, String> after2 = startDates(dag2, triggered);
        for (String task : List.of("compute_differences", "update_dashboard", "notify_new_data")) {
            assertThat(after2.get(task)).as(task + " of the triggered run ran again").isGreaterThan(before2.get(task));
        }
        assertThat(startDates(dag2, otherTriggered)).as("supermarket 2's run was not touched").isEqualTo(otherBefore);
    }

    @Test
    void aRecursiveClearOfTheTriggerTaskPreviewsBothDagsThenRerunsTheTriggeredRunOnceAfterIt() throws Exception {
        supermarketsHaveDelivered();
        String dag1 = "listing_6_04_dag01";
        String dag2 = "listing_6_04_dag02";
        String trigger = "trigger_create_metrics_dag_supermarket_1";
        Result triggered = cli("dags", "trigger", "-e", "2025-06-02T16:00:00+00:00", dag1);
        assertThat(triggered.exit()).as(triggered.err()).isZero();
        String runId = triggered.out().trim();
        assertThat(awaitRunEnd(dag1, runId)).isEqualTo("success");
        String dag2Run = "supermarket_1__" + runId;
        assertThat(awaitRunEnd(dag2, dag2Run)).isEqualTo("success");
        assertThat(awaitRunEnd(dag2, "supermarket_2__" + runId)).isEqualTo("success");
        int dag2Runs = DB.database().runs().list(dag2).size();
        List<String> dag2Tasks = List.of("compute_differences", "update_dashboard", "notify_new_data");

        // The preview lists the trigger task and every task of the run it triggered, and nothing of supermarket 2.
        String[] clear = {"tasks", "clear", dag1, "-t", "^" + trigger + "$", "-s", "2025-06-02T16:00:00+00:00",
                "-e", "2025-06-02T16:00:00+00:00", "--recursive"};
        Result preview = cli(clear);
        assertThat(preview.out()).contains("would be cleared").contains("Cancelled");
        List<String> listed = preview.out().lines().filter(l -> l.contains(runId)).map(String::strip).toList();
        assertThat(listed).hasSize(4);
        assertThat(String.join("\n", listed)).contains(trigger).contains(dag2Run).doesNotContain("supermarket_2");
        for (String task : dag2Tasks) {
            assertThat(listed).anyMatch(l -> l.startsWith(dag2) && l.contains(task));
        }
        Result notRecursive = cli(java.util.Arrays.copyOf(clear, clear.length - 1));
        assertThat(notRecursive.out()).doesNotContain(dag2Run);
        Result badDepth = cli(java.util.stream.Stream.concat(java.util.Arrays.stream(clear),
                java.util.stream.Stream.of("--recursion-depth", "0", "-y")).toArray(String[]::new));
        assertThat(badDepth.exit()).isEqualTo(2);
        assertThat(badDepth.err()).contains("recursion_depth must be between 1 and 100");

        Result done = cli(java.util.stream.Stream.concat(java.util.Arrays.stream(clear), java.util.stream.Stream.of("-y"))
                .toArray(String[]::new));
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("Cleared 4 task instance(s).");

        // The triggered run waits for its trigger, then runs once more, after it: no second run of dag02.
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!dag2Tasks.stream().allMatch(t -> ti(dag2, dag2Run, t).tryNumber() == 2
                && ti(dag2, dag2Run, t).state() == dev.weft.spi.TaskState.SUCCESS)) {
            assertThat(System.nanoTime()).as("the triggered run ran again").isLessThan(until);
            Thread.sleep(300);
        }
        assertThat(awaitRunEnd(dag1, runId)).isEqualTo("success");
        assertThat(awaitRunEnd(dag2, dag2Run)).isEqualTo("success");
        var again = ti(dag1, runId, trigger);
        assertThat(again.tryNumber()).as("the trigger task ran once more").isEqualTo(2);
        for (String task : dag2Tasks) {
            var ti = ti(dag2, dag2Run, task);
            assertThat(ti.tryNumber()).as(task + " ran once more").isEqualTo(2);
            assertThat(ti.startDate()).as(task + " ran after the trigger task").isAfter(again.startDate());
        }
        assertThat(ti(dag1, runId, "process_supermarket_1").tryNumber()).isEqualTo(1);
        assertThat(ti(dag2, "supermarket_2__" + runId, "compute_differences").tryNumber()).isEqualTo(1);
        assertThat(DB.database().runs().list(dag2)).as("no duplicate triggered run").hasSize(dag2Runs);
    }

    /** The supermarkets have delivered: the sensors of listing_6_04_dag01 succeed at their first poke. */
    private static void supermarketsHaveDelivered() throws IOException {
        Path dataRoot = Path.of(System.getenv("WEFT_DATA_DIR"));
        for (int n = 1; n <= 4; n++) {
            Path dir = Files.createDirectories(dataRoot.resolve("supermarket" + n));
            Files.writeString(dir.resolve("data-01.csv"), "id,promotion\n");
            Files.writeString(dir.resolve("_SUCCESS"), "");
        }
    }

    private static dev.weft.engine.store.TaskInstanceRecord ti(String dagId, String runId, String taskId) {
        return DB.database().taskInstances().find(dagId, runId, taskId).orElseThrow();
    }

    /** task id → start date (ISO, comparable as text: one offset) of a run's task instances, read through the CLI. */
    private static Map<String, String> startDates(String dagId, String runId) throws Exception {
        Result r = cli("tasks", "states-for-dag-run", dagId, runId, "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> dates = new HashMap<>();
        for (Object o : (List<?>) Json.parse(r.out())) {
            Map<?, ?> ti = (Map<?, ?>) o;
            dates.put(String.valueOf(ti.get("task_id")), (String) ti.get("start_date"));
        }
        return dates;
    }

    @Test
    void invalidConfIsRejectedBeforeAnyRequestNamingThePosition() throws Exception {
        // An unreachable server: the conf is checked first, so this is a usage error, not "cannot reach".
        Map<String, String> env = Map.of("WEFT_URL", "http://127.0.0.1:" + freePort());
        Result r = cli(env, "dags", "trigger", "-c", "{\"supermarket_id\": 1,}", "listing_6_08");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--conf is not valid JSON").contains("line 1, column 22");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();

        Result notObject = cli(env, "dags", "trigger", "-c", "[1]", "listing_6_08");
        assertThat(notObject.exit()).isEqualTo(2);
        assertThat(notObject.err()).contains("JSON object");
    }

    @Test
    void aServerThatIsDownIsReportedWithItsUrl() throws Exception {
        String down = "http://127.0.0.1:" + freePort();
        Result r = cli(Map.of(), "--url", down, "dags", "list");
        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.err()).startsWith("weft: cannot reach Weft at " + down);
        assertThat(r.err().lines()).hasSize(1);

        Result viaUrlOption = cli(Map.of("WEFT_URL", "http://example.invalid"), "dags", "list", "--url", down);
        assertThat(viaUrlOption.exit()).as("--url wins over WEFT_URL").isEqualTo(6);
        assertThat(viaUrlOption.err()).contains(down);
    }

    @Test
    void errorsHaveAnExitCodePerClass() throws Exception {
        Result wrong = cli(Map.of("WEFT_URL", url(), "WEFT_PASSWORD", "wrong"), "dags", "list");
        assertThat(wrong.exit()).isEqualTo(5);
        assertThat(wrong.err().lines()).hasSize(1);

        Result viewer = cli(Map.of("WEFT_URL", url(), "WEFT_USER", "viewer"), "dags", "trigger", "listing_6_08");
        assertThat(viewer.exit()).as("a Viewer may not trigger").isEqualTo(5);
        assertThat(viewer.err()).as("refused for the role, not the login").contains("permission denied");

        Result missing = cli("dags", "trigger", "no_such_dag");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("no_such_dag");

        Result usage = cli("dags", "list-runs");
        assertThat(usage.exit()).as("-d is required").isEqualTo(2);

        Result badDate = cli("dags", "trigger", "-e", "yesterday", "listing_6_08");
        assertThat(badDate.exit()).isEqualTo(2);
    }

    @Test
    void otherCommands() throws Exception {
        Result errors = cli("dags", "list-import-errors", "-o", "json");
        assertThat(errors.exit()).as(errors.err()).isZero();
        assertThat(Json.parse(errors.out())).isInstanceOf(List.class);

        Result tasks = cli("tasks", "list", "listing_6_08");
        assertThat(tasks.out().lines()).containsExactly("copy_to_raw", "process");

        Result pause = cli("dags", "pause", "listing_6_04_dag01", "-o", "json");
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(pause.out()).contains("\"is_paused\": true");
        assertThat(cli("dags", "pause", "listing_6_04_dag01").out()).contains("No unpaused DAGs were found");
        assertThat(cli("dags", "unpause", "listing_6_04_dag01").exit()).isZero();

        Result pools = cli("pools", "list", "-o", "json");
        assertThat(pools.exit()).as(pools.err()).isZero();
        assertThat(pools.out()).contains("default_pool");

        assertThat(cli("plugins", "list").exit()).isZero();
        Result version = cli("version");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out().trim()).isNotEmpty();

        Result state = cli("dags", "state", "listing_6_08", "2001-01-01");
        assertThat(state.out().trim()).isEqualTo("None");
    }

    static List<Map<String, Object>> jsonList(Result r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        List<Map<String, Object>> rows = new ArrayList<>();
        ((List<?>) Json.parse(r.out())).forEach(o -> rows.add(Json.object(o)));
        return rows;
    }

    @Test
    void backfillARangeAsksFirstThenCreatesRunsTheSchedulerRuns() throws Exception {
        String dag = "execution_date_fn_dag_1";
        Result ask = cli("dags", "backfill", dag, "-s", "2020-01-01", "-e", "2020-01-03");
        assertThat(ask.exit()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("would be done").contains("backfill__2020-01-01T00:00:00+00:00")
                .contains("backfill__2020-01-03T00:00:00+00:00").contains("Cancelled");
        assertThat(jsonList(cli("dags", "list-runs", "-d", dag, "-s", "2020-01-01", "-e", "2020-01-31", "-o",
                "json"))).as("nothing created without a yes").isEmpty();

        List<Map<String, Object>> plan = jsonList(cli("dags", "backfill", dag, "-s", "2020-01-01", "-e", "2020-01-03",
                "--dry-run", "-o", "json"));
        assertThat(plan).extracting(m -> (Object) m.get("action")).containsExactly("created", "created", "created");

        Result done = cli("dags", "backfill", dag, "-s", "2020-01-01", "-e", "2020-01-03", "-y",
                "-c", "{\"source\": \"cli\"}");
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("3 run(s), 3 created");
        for (String day : List.of("01", "02", "03")) {
            assertThat(awaitRunEnd(dag, "backfill__2020-01-" + day + "T00:00:00+00:00")).isEqualTo("success");
        }
        assertThat(jsonList(cli("dags", "list-runs", "-d", dag, "-s", "2020-01-01", "-e", "2020-01-31",
                "--no-backfill", "-o", "json"))).isEmpty();

        Result oneDay = cli("dags", "backfill", dag, "-s", "2020-01-02", "--reset-dagruns", "-y", "-o", "json");
        List<Map<String, Object>> reset = jsonList(oneDay);
        assertThat(reset).singleElement().satisfies(r -> {
            assertThat(r.get("dag_run_id")).isEqualTo("backfill__2020-01-02T00:00:00+00:00");
            assertThat(r.get("action")).isEqualTo("cleared");
            assertThat(r.get("cleared_task_instances")).isEqualTo(2L);
        });
        assertThat(awaitRunEnd(dag, "backfill__2020-01-02T00:00:00+00:00")).isEqualTo("success");
        assertThat(jsonList(cli("dags", "backfill", dag, "-e", "2020-01-03", "--rerun-failed-tasks", "-y", "-o",
                "json"))).extracting(m -> (Object) m.get("action")).containsExactly("reused");

        Result viewer = cli(Map.of("WEFT_URL", url(), "WEFT_USER", "viewer"), "dags", "backfill", dag, "-s",
                "2020-01-05", "-y");
        assertThat(viewer.exit()).as("a Viewer may not backfill").isEqualTo(5);
        assertThat(viewer.err()).as("refused for the role, not the login").contains("permission denied");
        Result unscheduled = cli("dags", "backfill", "listing_6_08", "-s", "2020-01-01", "-y");
        assertThat(unscheduled.exit()).isEqualTo(2);
        assertThat(unscheduled.err()).contains("no schedule points");
        Result noRange = cli("dags", "backfill", dag, "-y");
        assertThat(noRange.exit()).isEqualTo(2);
        assertThat(noRange.err()).contains("-s/--start-date");
        Result badConf = cli(Map.of("WEFT_URL", "http://127.0.0.1:" + freePort()), "dags", "backfill", dag, "-s",
                "2020-01-01", "-c", "{oops", "-y");
        assertThat(badConf.exit()).isEqualTo(2);
        assertThat(badConf.err()).contains("line 1, column 2");
    }

    @Test
    void nextExecutionShowAndTree() throws Exception {
        Result next = cli("dags", "next-execution", "execution_date_fn_dag_1");
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.out().trim()).matches("\\d{4}-\\d{2}-\\d{2}T00:00:00\\+00:00");
        assertThat(cli("dags", "next-execution", "listing_6_08").out().trim()).isEqualTo("None");
        assertThat(cli("dags", "next-execution", "no_such_dag").exit()).isEqualTo(3);

        Result show = cli("dags", "show", "listing_6_08");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).isEqualTo("""
                listing_6_08: 2 tasks, 1 dependency
                layer 0
                  copy_to_raw -> process
                layer 1
                  process
                """);
        Result bigger = cli("dags", "show", "listing_6_04_dag01");
        assertThat(bigger.out()).contains("layer 3\n  trigger_create_metrics_dag_supermarket_1\n");

        Result tree = cli("tasks", "list", "listing_6_04_dag01", "--tree");
        assertThat(tree.exit()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("""
                wait_for_supermarket_1
                └── copy_to_raw_supermarket_1
                    └── process_supermarket_1
                        └── trigger_create_metrics_dag_supermarket_1
                """);
    }

    @Test
    void followALogUntilTheTryEnds() throws Exception {
        Result trigger = cli("dags", "trigger", "-c", "{\"supermarket_id\": 7}", "listing_6_08");
        assertThat(trigger.exit()).as(trigger.err()).isZero();
        String runId = trigger.out().trim();
        Result follow = cli("tasks", "logs", "listing_6_08", runId, "process", "-f");
        assertThat(follow.exit()).as(follow.err()).isZero();
        assertThat(follow.out()).contains("supermarket_id=7");
        assertThat(follow.err()).contains("ended: success");
        assertThat(cli("tasks", "state", "listing_6_08", "process", runId).out().trim()).isEqualTo("success");
    }

    @Test
    void xcomListAndGetPrintWhatATaskReturnedAndPushed() throws Exception {
        String runId = cli("dags", "trigger", "listing_6_08").out().trim();
        assertThat(cli("tasks", "logs", "listing_6_08", runId, "process", "-f").exit()).isZero();
        // What the task would have returned and pushed (its callable returns nothing).
        DB.database().jdbi().useHandle(h -> {
            String process = " WHERE dag_id = 'listing_6_08' AND run_id = ? AND task_id = 'process'";
            h.execute("UPDATE task_instance SET output = '\"raw/2026\"'" + process, runId);
            h.execute("INSERT INTO xcom (ti_id, key, value, timestamp) SELECT id, 'stats', '{\"rows\": 42}', now()"
                    + " FROM task_instance" + process, runId);
        });
        Result list = cli("xcom", "list", "listing_6_08", runId);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("process").contains("return_value").contains("stats");
        assertThat(jsonList(cli("xcom", "list", "listing_6_08", runId, "process", "-k", "stats", "-o", "json")))
                .extracting(x -> x.get("key")).containsExactly("stats");
        assertThat(cli("xcom", "get", "listing_6_08", runId, "process").out()).isEqualTo("raw/2026\n");
        assertThat(cli("xcom", "get", "listing_6_08", runId, "process", "-j").out()).isEqualTo("\"raw/2026\"\n");
        assertThat(cli("xcom", "get", "listing_6_08", runId, "process", "stats").out()).contains("\"rows\": 42");
        Result missing = cli("xcom", "get", "listing_6_08", runId, "copy_to_raw");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("has no XCom return_value").contains("weft xcom list listing_6_08");
    }

    @Test
    void variablesSetGetExportAndImportWithoutEverPrintingASecret() throws Exception {
        Result set = cli("variables", "set", "cli_region", "eu-west-1", "--description", "where");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(cli("variables", "set", "cli_cfg", "{\"a\": [1, 2]}", "-j").exit()).isZero();
        assertThat(cli("variables", "set", "cli_bad", "{nope", "-j").exit()).isEqualTo(2);
        assertThat(cli("variables", "set", "cli_db_password", "pw-5ecret-77").exit()).isZero();
        assertThat(cli("variables", "get", "cli_region").out()).isEqualTo("eu-west-1\n");
        assertThat(cli("variables", "get", "cli_cfg", "-j").out()).contains("\"a\"").contains("1");
        assertThat(cli("variables", "get", "cli_db_password").out()).isEqualTo("***\n");
        Result missing = cli("variables", "get", "cli_nope");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("weft variables set cli_nope");
        assertThat(cli("variables", "get", "cli_nope", "-d", "fallback").out()).isEqualTo("fallback\n");
        Result list = cli("variables", "list", "-o", "json");
        assertThat(jsonList(list)).extracting(v -> v.get("key")).contains("cli_region", "cli_db_password");
        assertThat(list.out()).doesNotContain("eu-west-1").doesNotContain("pw-5ecret-77");

        Path file = Files.createTempFile("weft-vars", ".json");
        Result export = cli("variables", "export", file.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        String exported = Files.readString(file);
        assertThat(exported).contains("\"cli_region\": \"eu-west-1\"").contains("\"cli_db_password\": \"***\"")
                .doesNotContain("pw-5ecret-77");

        assertThat(cli("variables", "delete", "cli_region").exit()).isZero();
        assertThat(cli("variables", "delete", "cli_region").exit()).isEqualTo(3);
        Result failed = cli("variables", "import", file.toString(), "-a", "fail");
        assertThat(failed.exit()).isEqualTo(4);
        assertThat(failed.err()).contains("cli_cfg");
        assertThat(cli("variables", "get", "cli_region").exit()).as("fail imports nothing").isEqualTo(3);
        Result skipped = cli("variables", "import", file.toString(), "-a", "skip");
        assertThat(skipped.exit()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("were already present and skipped");
        assertThat(cli("variables", "get", "cli_region").out()).isEqualTo("eu-west-1\n");
        Result overwrite = cli("variables", "import", file.toString());
        assertThat(overwrite.exit()).as(overwrite.err()).isZero();
        assertThat(overwrite.out()).contains("2 of 3 variables successfully updated.");
        assertThat(overwrite.err()).contains("skipped [cli_db_password]").contains("***");
        // The secret survived every import: its mask was never written over it.
        String stored = DB.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT encrypted_value FROM variable WHERE key = 'cli_db_password'").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain("pw-5ecret-77");
        assertThat(cli("variables", "import", "/nonexistent/vars.json").exit()).isEqualTo(2);
        assertThat(cli(Map.of("WEFT_URL", url(), "WEFT_USER", "viewer"), "variables", "list").exit()).isEqualTo(5);
    }

    @Test
    void connectionsAddGetExportAndImportWithoutEverPrintingAPassword() throws Exception {
        String password = "p@ss/w0rd-9x";
        List<Result> printed = new ArrayList<>();
        Result uri = cli("connections", "add", "cli_db", "--conn-uri",
                "postgresql://etl:p%40ss%2Fw0rd-9x@db.example.com:5432/sales?sslmode=require",
                "--conn-description", "the warehouse");
        assertThat(uri.exit()).as(uri.err()).isZero();
        assertThat(uri.out()).contains("Successfully added `conn_id`=cli_db : postgres://etl@db.example.com:5432/sales");
        Result fields = cli("connections", "add", "cli_api", "--conn-type", "http", "--conn-host", "api.example.com",
                "--conn-login", "bot", "--conn-password", password, "--conn-port", "8443",
                "--conn-extra", "{\"headers\": {\"Authorization\": \"Bearer tok-55aa66bb\"}}");
        Result json = cli("connections", "add", "cli_fs", "--conn-json",
                "{\"conn_type\": \"fs\", \"extra\": {\"path\": \"/data\"}, \"port\": \"1\"}");
        printed.addAll(List.of(uri, fields, json));
        assertThat(fields.exit()).as(fields.err()).isZero();
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(cli("connections", "add", "cli_db", "--conn-type", "http").exit()).isEqualTo(4);
        assertThat(cli("connections", "add", "x", "--conn-uri", "a://b", "--conn-type", "http").exit())
                .as("--conn-uri and --conn-type are exclusive").isEqualTo(2);
        assertThat(cli("connections", "add", "x", "--conn-uri", "not a uri").exit()).isEqualTo(2);
        assertThat(cli("connections", "add", "x", "--conn-host", "h").exit()).as("no type").isEqualTo(2);

        Result get = cli("connections", "get", "cli_db", "-o", "json");
        Result getApi = cli("connections", "get", "cli_api");
        Result list = cli("connections", "list", "-o", "json");
        printed.addAll(List.of(get, getApi, list));
        assertThat(jsonList(get)).singleElement().satisfies(c -> {
            assertThat(c.get("conn_type")).isEqualTo("postgres");
            assertThat(c.get("login")).isEqualTo("etl");
            assertThat(c.get("uri")).isEqualTo("postgres://etl@db.example.com:5432/sales?sslmode=require");
        });
        assertThat(jsonList(list)).extracting(c -> c.get("conn_id")).contains("cli_db", "cli_api", "cli_fs");
        assertThat(cli("connections", "get", "cli_nope").exit()).isEqualTo(3);

        Path file = Files.createTempFile("weft-conns", ".json");
        Result export = cli("connections", "export", file.toString());
        Result exportUri = cli("connections", "export", "-", "--serialization-format", "uri");
        printed.addAll(List.of(export, exportUri));
        assertThat(export.exit()).as(export.err()).isZero();
        String exported = Files.readString(file);
        assertThat(exported).contains("\"cli_api\"").contains("***").doesNotContain("tok-55aa66bb");
        assertThat(exportUri.out()).contains("http://bot@api.example.com:8443");

        assertThat(cli("connections", "delete", "cli_api").exit()).isZero();
        Result missing = cli("connections", "delete", "cli_api");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("Did not find a connection with `conn_id`=cli_api");
        Result skipped = cli("connections", "import", file.toString());
        assertThat(skipped.exit()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("Imported connection cli_api")
                .contains("Could not import connection cli_db: connection already exists.");
        Result overwrite = cli("connections", "import", file.toString(), "--overwrite");
        assertThat(overwrite.exit()).as(overwrite.err()).isZero();
        assertThat(overwrite.out()).contains("Updated connection cli_db");
        printed.addAll(List.of(skipped, overwrite));
        // The database keeps cli_db's password through the overwrite, encrypted
        String stored = DB.database().jdbi().withHandle(h -> h.createQuery("SELECT encrypted_password FROM"
                + " connection WHERE conn_id = 'cli_db'").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain(password);
        for (Result r : printed) {
            assertThat(r.out() + r.err()).doesNotContain(password).doesNotContain("p%40ss")
                    .doesNotContain("tok-55aa66bb");
        }
        assertThat(cli(Map.of("WEFT_URL", url(), "WEFT_USER", "viewer"), "connections", "list").exit()).isEqualTo(5);
    }

    @Test
    void poolsUsersYamlAndCompletion() throws Exception {
        Result set = cli("pools", "set", "cli_pool", "3", "for the CLI test");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(jsonList(cli("pools", "get", "cli_pool", "-o", "json"))).singleElement().satisfies(p -> {
            assertThat(p.get("slots")).isEqualTo(3L);
            assertThat(p.get("description")).isEqualTo("for the CLI test");
        });
        assertThat(cli("pools", "set", "cli_pool", "5").exit()).isZero();
        Result yaml = cli("pools", "get", "cli_pool", "-o", "yaml");
        assertThat(yaml.out()).isEqualTo("""
                - pool: cli_pool
                  slots: 5
                  description: for the CLI test
                  include_deferred: false
                """);
        assertThat(cli("pools", "delete", "cli_pool").exit()).isZero();
        assertThat(cli("pools", "get", "cli_pool").exit()).isEqualTo(3);
        assertThat(cli("pools", "set", "cli_pool", "many").exit()).isEqualTo(2);

        Map<String, String> env = new HashMap<>(Map.of("WEFT_URL", url()));
        Result noTerminal = cli("users", "create", "-u", "cli_user", "-e", "cli@example.com", "-r", "Viewer");
        assertThat(noTerminal.exit()).isEqualTo(2);
        assertThat(noTerminal.err()).contains("--password-stdin");
        Result created = cliWithInput(env, "cli-pw-1\n", "users", "create", "-u", "cli_user", "-e",
                "cli@example.com", "-r", "Viewer", "--password-stdin");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(cliWithInput(env, "cli-pw-1\n", "users", "create", "-u", "cli_user", "-e", "cli2@example.com",
                "-r", "Viewer", "--password-stdin").exit()).as("exists").isEqualTo(4);
        assertThat(jsonList(cli("users", "list", "-o", "json"))).anySatisfy(u -> {
            assertThat(u.get("username")).isEqualTo("cli_user");
            assertThat(u.get("roles")).isEqualTo(List.of("Viewer"));
        });

        Result completion = cli("completion", "bash");
        assertThat(completion.exit()).as(completion.err()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("backfill").contains("next-execution");
        assertThat(cli("completion", "fish").exit()).isEqualTo(2);
    }

    @Test
    void loginChecksTheCredentialsAndWritesAPrivateConfigFileTheNextCommandsUse() throws Exception {
        Path dir = Files.createTempDirectory("weft-login");
        Path file = dir.resolve("weft").resolve("cli.json");
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_URL", null);
        env.put("WEFT_USER", null);
        env.put("WEFT_PASSWORD", null);
        env.put("WEFT_CONFIG", null);
        env.put("XDG_CONFIG_HOME", dir.toString());

        Result wrong = cliWithInput(env, "nope\n", "login", "--url", url(), "-u", "op", "--password-stdin");
        assertThat(wrong.exit()).isEqualTo(5);
        assertThat(file).doesNotExist();

        Result login = cliWithInput(env, PASSWORD + "\n", "login", "--url", url(), "-u", "op", "--password-stdin");
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(url()).contains("\"op\"");

        Result fromFile = cli(env, "pools", "list", "-o", "json");
        assertThat(fromFile.exit()).as("URL, user and password from the file: " + fromFile.err()).isZero();
        Map<String, String> envUser = new HashMap<>(env);
        envUser.put("WEFT_USER", "viewer");
        envUser.put("WEFT_PASSWORD", PASSWORD);
        assertThat(cli(envUser, "pools", "list").exit()).as("the environment wins: a Viewer may not list pools")
                .isEqualTo(5);
        assertThat(cli(env, "--url", "http://127.0.0.1:" + freePort(), "pools", "list").exit())
                .as("--url wins over the file").isEqualTo(6);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
