package dev.weft.server.it;

import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.store.TestDatabase;
import dev.weft.store.WeftDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults under load, with real processes on a real PostgreSQL: kill -9 of a worker and of a scheduler (two of each
 * running), the database terminating every Weft connection twice a second for 20 s, the embedded PostgreSQL stopped
 * and restarted under {@code weft standalone}, task code that throws {@link Error}s, ignores interruption or writes
 * 100 MB of log, and kill -9 of a worker under a sleeping shell task (the sleep must die with it). After each: every run ends, no task instance is left unfinished, every try that completed was
 * executed exactly once, no two tries of a task overlapped, and only tries in flight on a killed process ran again
 * (or were stopped by a worker that fenced itself when it could not heartbeat); the load tasks of
 * {@link FaultTestDags} record each execution in a file.
 */
class FaultInjectionIT {
    /**
     * Limits short enough for recovery to fit in seconds (heartbeats come every 3 s), long enough that a live worker
     * on a loaded 2-core machine is not taken for lost.
     */
    private static final String ENGINE = """
            workerLostAfterSeconds: 10
            parallelism: 128
            dagsArePausedAtCreation: true
            """;
    private static final Set<String> UNFINISHED = Set.of("none", "scheduled", "queued", "running", "restarting",
            "up_for_retry", "up_for_reschedule", "deferred");

    /** Kept when a scenario fails: the processes' logs are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;
    private final TestDatabase db = TestDatabase.create();
    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, Path> logs = new LinkedHashMap<>();
    /** The database the processes use, without a pool: every check opens its own connection. */
    private Jdbi jdbi;
    private Path embeddedData;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(20, TimeUnit.SECONDS);
        }
        if (embeddedData != null) {
            postmaster(embeddedData).ifPresent(pid -> signal(pid, "INT"));
        }
        db.close();
    }

    // ---- scenarios ---------------------------------------------------------------------------------------------

    @Test
    void killNineOfAWorkerAndOfASchedulerInTheMiddleOf2000Tasks() throws Exception {
        long started = System.nanoTime();
        Map<String, String> env = loadEnvironment("4x500");
        Process workerA = launch("worker", "worker-a", databaseSettings() + "workerSlots: 24\n", env);
        launch("worker", "worker-b", databaseSettings() + "workerSlots: 24\n", env);
        useDatabase(db.url());
        awaitWorkers(2);   // the schedulers create the runs: both workers take part from the start
        Process schedulerA = launch("scheduler", "scheduler-a", databaseSettings(), env);
        launch("scheduler", "scheduler-b", databaseSettings(), env);
        awaitStarted(2);

        await("a quarter of the 2,000 tasks done", Duration.ofSeconds(120), () -> succeeded() >= 500);
        String killedWorker = workerId(workerA);
        workerA.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no write-back
        Set<String> inFlight = inFlightOn(killedWorker);
        await("half of the tasks done", Duration.ofSeconds(120), () -> succeeded() >= 1000);
        schedulerA.destroyForcibly().waitFor();

        await("every run ended", Duration.ofSeconds(240), this::allRunsEnded);
        Figures f = verify(inFlight);
        assertThat(f.tasks()).isEqualTo(2000);
        assertThat(inFlight).as("the killed worker had tries in flight").isNotEmpty();
        report("kill -9 of a worker and a scheduler", f, "2 processes killed, " + inFlight.size()
                + " tries in flight on the worker", started);
    }

    @Test
    void theDatabaseTerminatesEveryConnectionTwiceASecondFor20Seconds() throws Exception {
        long started = System.nanoTime();
        Map<String, String> env = loadEnvironment("2x400");
        String settings = databaseSettings();
        launch("worker", "worker-a", settings + "workerSlots: 24\n", env);
        launch("worker", "worker-b", settings + "workerSlots: 24\n", env);
        useDatabase(db.url());
        awaitWorkers(2);
        launch("scheduler", "scheduler-a", settings, env);
        launch("scheduler", "scheduler-b", settings, env);
        awaitStarted(2);
        await("the load started", Duration.ofSeconds(120), () -> succeeded() >= 50);

        int terminated = 0;
        Instant stormEnd;
        try (Connection admin = DriverManager.getConnection(db.url()); Statement s = admin.createStatement()) {
            for (int i = 0; i < 40; i++) {
                try (ResultSet r = s.executeQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()""")) {
                    r.next();
                    terminated += r.getInt(1);
                }
                Thread.sleep(500);
            }
            stormEnd = Instant.now();
        }
        await("every run ended after the storm", Duration.ofSeconds(120), this::allRunsEnded);

        // Neither worker stopped claiming for good: a run triggered now is shared by both.
        RunRecord again = runService().trigger(new RunService.Trigger("fault_load_1", "after_the_storm", null, null,
                Map.of(), null, null));
        await("the run after the storm ended", Duration.ofSeconds(90), this::allRunsEnded);
        List<String> workers = jdbi.withHandle(h -> h.createQuery(
                "SELECT DISTINCT worker_id FROM task_instance WHERE run_pk = :run").bind("run", again.id())
                .mapTo(String.class).list());
        assertThat(workers).as("workers that ran the run after the storm").hasSize(2);
        assertThat(stormEnd).isNotNull();
        Figures f = verify(null);
        report("connections terminated every 0.5 s for 20 s", f, terminated + " backends terminated", started);
    }

    @Test
    void theEmbeddedPostgresStopsAndRestartsUnderStandalone() throws Exception {
        long started = System.nanoTime();
        Map<String, String> env = loadEnvironment("2x300");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createDirectories(home.resolve("standalone"));
        embeddedData = dir.resolve("postgres");
        launch("standalone", "standalone", ENGINE + "workerSlots: 24\n", env, "--port", String.valueOf(port));
        await("the embedded database is up", Duration.ofSeconds(180), () -> embeddedUrl() != null);
        awaitStarted(1);
        await("a third of the tasks done", Duration.ofSeconds(120), () -> succeeded() >= 200);

        long pid = postmaster(embeddedData).orElseThrow();
        List<String> arguments = ProcessHandle.of(pid).orElseThrow().info().arguments().map(List::of).orElseThrow();
        String binary = ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow();
        signal(pid, "QUIT");   // immediate shutdown: every backend dies at once, crash recovery on the next start
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        Thread.sleep(4000);
        restartPostgres(binary, arguments);
        Instant restarted = Instant.now();
        HttpClient http = HttpClient.newHttpClient();
        await("the API is healthy again", Duration.ofSeconds(20), () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/health"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"metadatabase\":{\"status\":\"healthy\"");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        Duration toHealthy = Duration.between(restarted, Instant.now());
        await("every run ended after the restart", Duration.ofSeconds(120), this::allRunsEnded);
        Figures f = verify(null);
        report("embedded PostgreSQL stopped 4 s and restarted", f, "API healthy " + toHealthy.toMillis()
                + " ms after the restart", started);
    }

    @Test
    void anErrorFromTaskCodeIsRetriedThenFails() throws Exception {
        long started = System.nanoTime();
        Map<String, String> states = runEdge("error");
        assertThat(states).containsEntry("throws_error", "failed 2");
        assertThat(log("throws_error", 1)).contains("OutOfMemoryError");
        assertThat(log("throws_error", 2)).contains("OutOfMemoryError");
        report("task code throws an Error", new Figures(3, 0, 0, 0), "2 tries, each failed with its Error", started);
    }

    @Test
    void aTryThatIgnoresInterruptionEndsSoonAfterItsTimeout() throws Exception {
        long started = System.nanoTime();
        Map<String, String> states = runEdge("stubborn");
        assertThat(states).containsEntry("ignores_interruption", "failed 1");
        assertThat(log("ignores_interruption", 1)).contains("execution timeout");
        double seconds = jdbi.withHandle(h -> h.createQuery("""
                SELECT extract(epoch FROM end_date - start_date) FROM task_instance
                WHERE dag_id = 'fault_edge' AND task_id = 'ignores_interruption'""").mapTo(Double.class).one());
        // Timeout 1 s, then the worker asks, interrupts after 10 s, and writes the outcome 10 s later (thread or not).
        assertThat(seconds).as("seconds the try held its slot (its code runs 120 s)").isLessThan(30);
        report("task code ignores interruption", new Figures(3, 0, 0, 0), "try ended after " + Math.round(seconds)
                + " s", started);
    }

    @Test
    void aTaskWriting100MbOfLogDoesNotTakeItsWorkerDown() throws Exception {
        long started = System.nanoTime();
        Map<String, String> states = runEdge("chatty");
        assertThat(states).containsEntry("writes_100mb_log", "success 1");
        List<String> tail = jdbi.withHandle(h -> h.createQuery("""
                SELECT l.line FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                WHERE t.dag_id = 'fault_edge' AND t.task_id = 'writes_100mb_log' ORDER BY l.id DESC LIMIT 5""")
                .mapTo(String.class).list());
        assertThat(String.join("\n", tail)).as("the end of the 100 MB log").contains("done");
        long kept = jdbi.withHandle(h -> h.createQuery("""
                SELECT sum(octet_length(l.line) + 1) FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                WHERE t.dag_id = 'fault_edge' AND t.task_id = 'writes_100mb_log'""").mapTo(Long.class).one());
        assertThat(kept).as("bytes of the log kept (maxLogBytesPerTry, 8 MiB, and the notes)")
                .isLessThan(9L << 20);
        long cutNotes = jdbi.withHandle(h -> h.createQuery("""
                SELECT count(*) FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                WHERE t.task_id = 'writes_100mb_log' AND (l.line LIKE '%from here on only its last 4 MiB are kept%'
                   OR l.line LIKE '%lines (% MiB) cut here%')""").mapTo(Long.class).one());
        assertThat(cutNotes).as("the notes where the log was cut").isEqualTo(2);
        report("task writes 100 MB of log", new Figures(3, 0, 0, 0), "log capped: " + (kept >> 10)
                + " KiB kept, with its head, its tail and what was cut", started);
    }

    @Test
    void aShellTaskDiesWithItsWorkerKilledWithKillNineAndItsRetryNeverOverlapsIt() throws Exception {
        long started = System.nanoTime();
        Path shared = Files.createDirectories(home.resolve("shared"));
        Map<String, String> env = Map.of("WEFT_FAULT_TEST_DIR", shared.toString(), "WEFT_FAULT_TEST_ORPHAN", "1");
        Process worker = launch("worker", "worker-a", databaseSettings() + "workerSlots: 2\n", env);
        useDatabase(db.url());
        awaitWorkers(1);
        launch("scheduler", "scheduler", databaseSettings(), env);
        Path sleeper = shared.resolve("sleeper_1");
        await("the first try sleeps", Duration.ofSeconds(240), () -> pidIn(sleeper) > 0);
        ProcessHandle sleep = ProcessHandle.of(pidIn(sleeper)).orElseThrow();

        worker.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook; only the closed pipe tells the watchdog
        long killed = System.nanoTime();
        await("the killed worker's sleep ends", Duration.ofSeconds(10), () -> !sleep.isAlive());
        double gone = (System.nanoTime() - killed) / 1e9;
        launch("worker", "worker-b", databaseSettings() + "workerSlots: 2\n", env);
        await("the run ended", Duration.ofSeconds(240), this::allRunsEnded);

        String state = jdbi.withHandle(h -> h.createQuery("""
                SELECT state || ' ' || try_number FROM task_instance WHERE dag_id = 'fault_orphan'""")
                .mapTo(String.class).one());
        assertThat(state).isEqualTo("success 2");
        assertThat(shared.resolve("overlap")).as("the retry found the first try's sleep running").doesNotExist();
        verify(null);
        report("kill -9 of a worker running a shell task", new Figures(1, 0, 0, 0),
                String.format("its sleep ended %.1f s after the kill", gone), started);
    }

    /** The pid a task wrote to {@code file}, or 0 while there is none. */
    private static long pidIn(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (IOException | NumberFormatException notYet) {
            return 0;
        }
    }

    /**
     * Runs {@code fault_edge} with one misbehaving task in {@code weft server} and returns "state try" per task, once
     * its neighbour on the same worker succeeded on its first try and {@code all_done} ran: the fault stayed with its
     * task, and no try was taken for lost.
     */
    private Map<String, String> runEdge(String edge) throws Exception {
        Path shared = Files.createDirectories(home.resolve("shared"));
        launch("server", "server", databaseSettings() + "workerSlots: 8\n",
                Map.of("WEFT_FAULT_TEST_DIR", shared.toString(), "WEFT_FAULT_TEST_EDGE", edge));
        useDatabase(db.url());
        awaitStarted(1);
        await("the run of fault_edge ended", Duration.ofSeconds(150), this::allRunsEnded);
        Map<String, String> states = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT task_id, state || ' ' || try_number AS s FROM task_instance WHERE dag_id = 'fault_edge'")
                .mapToMap().forEach(row -> states.put((String) row.get("task_id"), (String) row.get("s"))));
        assertThat(states).as("tasks of fault_edge").containsEntry("neighbour", "success 1")
                .containsEntry("all_done", "success 1");
        List<String> lost = jdbi.withHandle(h -> h.createQuery(
                "SELECT line FROM task_log WHERE line LIKE '%worker lost%'").mapTo(String.class).list());
        assertThat(lost).as("tries taken for lost while their worker lived").isEmpty();
        verify(null);
        return states;
    }

    // ---- processes and the database ------------------------------------------------------------------------------

    private Map<String, String> loadEnvironment(String load) throws IOException {
        Path shared = Files.createDirectories(home.resolve("shared"));
        return Map.of("WEFT_FAULT_TEST_DIR", shared.toString(), "WEFT_FAULT_TEST_LOAD", load);
    }

    private String databaseSettings() {
        return ENGINE + "databaseUrl: \"" + db.url() + "\"\n";
    }

    private Process launch(String command, String name, String settings, Map<String, String> env,
                           String... arguments) throws IOException {
        Path dir = Files.createDirectories(home.resolve(name));
        Process p = ServerProcess.launch(command, dir, settings, env, arguments).process();
        processes.add(p);
        logs.put(p, dir.resolve(command + ".log"));
        return p;
    }

    private void useDatabase(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(url);
        jdbi = Jdbi.create(source);
    }

    private RunService runService() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(db.url());
        WeftDatabase store = new WeftDatabase(source);
        return new RunService(store.dags(), store.runs(), store.taskInstances(), store.datasets(),
                store.transactor(), new DagCatalog(store.dags()),
                new RunFactory(store.runs(), Clock.systemUTC()), Wakeups.NONE, Clock.systemUTC());
    }

    /** The JDBC URL of the embedded PostgreSQL (its lock file names the port), once it answers. */
    private String embeddedUrl() {
        if (jdbi == null) {
            Path pid = embeddedData.resolve("postmaster.pid");
            try {
                List<String> lines = Files.readAllLines(pid);
                if (lines.size() < 4) {
                    return null;
                }
                useDatabase("jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres?user=postgres");
                jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM dag").mapTo(Long.class).one());
            } catch (IOException | RuntimeException notYet) {
                jdbi = null;
                return null;
            }
        }
        return "ready";
    }

    private static java.util.Optional<Long> postmaster(Path data) {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0)
                    .trim())).filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Starts the embedded PostgreSQL again as it ran, through pg_ctl beside its binary (detached, so it outlives this
     * call as it would outlive an operator's shell); as root inside a user namespace, as the embedded library does.
     */
    private void restartPostgres(String binary, List<String> arguments) throws Exception {
        List<String> options = new ArrayList<>(arguments);
        int d = options.indexOf("-D");
        options.remove(d + 1);
        options.remove(d);
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("unshare", "-U"));
        }
        cmd.addAll(List.of(Path.of(binary).resolveSibling("pg_ctl").toString(), "-D", embeddedData.toString(), "-o",
                String.join(" ", options), "-l", home.resolve("postgres-restart.log").toString(), "-w", "start"));
        Process pgCtl = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("pg_ctl.log").toFile()).start();
        assertThat(pgCtl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pgCtl.exitValue()).as(Files.readString(home.resolve("pg_ctl.log"))).isZero();
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String workerId(Process worker) {
        return jdbi.withHandle(h -> h.createQuery("SELECT worker_id FROM worker WHERE pid = :pid")
                .bind("pid", worker.pid()).mapTo(String.class).one());
    }

    /** The tries a (dead) worker had claimed: "dag run task try". */
    private Set<String> inFlightOn(String workerId) {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("""
                        SELECT dag_id || ' ' || run_id || ' ' || task_id || ' ' || try_number FROM task_instance
                        WHERE worker_id = :w AND state IN ('running', 'restarting')""")
                .bind("w", workerId).mapTo(String.class).list()));
    }

    private void awaitWorkers(int workers) throws Exception {
        await(workers + " worker(s) up", Duration.ofSeconds(240), () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM worker WHERE stopped_at IS NULL").mapTo(Integer.class).one()) >= workers);
    }

    /** JVMs start slowly on a loaded machine: that is not what the scenarios measure. */
    private void awaitStarted(int workers) throws Exception {
        await(workers + " worker(s) up and the runs created", Duration.ofSeconds(240), () -> jdbi.withHandle(h ->
                h.createQuery("SELECT count(*) FROM worker WHERE stopped_at IS NULL").mapTo(Integer.class).one()
                        >= workers && h.createQuery("SELECT count(*) FROM dag_run WHERE dag_id LIKE 'fault%'")
                        .mapTo(Integer.class).one() > 0));
    }

    private long succeeded() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM task_instance WHERE dag_id LIKE 'fault%' AND state = 'success'")
                .mapTo(Long.class).one());
    }

    private boolean allRunsEnded() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT count(*) = 0 AND (SELECT count(*) FROM dag_run WHERE dag_id LIKE 'fault%') > 0
                FROM dag_run WHERE dag_id LIKE 'fault%' AND state NOT IN ('success', 'failed')""")
                .mapTo(Boolean.class).one());
    }

    private String log(String taskId, int tryNumber) {
        List<String> lines = jdbi.withHandle(h -> h.createQuery("""
                        SELECT l.line FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                        WHERE t.dag_id = 'fault_edge' AND t.task_id = :t AND l.try_number = :n ORDER BY l.id LIMIT 200""")
                .bind("t", taskId).bind("n", tryNumber).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    // ---- what every scenario asserts -------------------------------------------------------------------------

    /**
     * Load tasks, tries that completed and yet ran again (each in flight on a killed worker, or stopped by a worker
     * that fenced itself), of those the fenced ones, and tries executed twice (always 0).
     */
    record Figures(int tasks, int rerun, int fenced, int duplicated) {
    }

    /**
     * Every fault run ended; no task instance is unfinished; each load task's final try succeeded and was executed
     * exactly once; no try was executed twice and no two tries of a task overlapped; a try before the final one ran
     * only if it was in flight on a killed process ({@code inFlight}; null where no process was killed, then any
     * earlier try must have been stopped before the next began).
     */
    private Figures verify(Set<String> inFlight) throws IOException {
        List<Map<String, Object>> unfinished = jdbi.withHandle(h -> h.createQuery("""
                SELECT dag_id, run_id, task_id, state, try_number, worker_id FROM task_instance
                WHERE dag_id LIKE 'fault%' AND state IN (<states>)""").bindList("states", List.copyOf(UNFINISHED))
                .mapToMap().list());
        assertThat(unfinished).as("task instances left unfinished").isEmpty();

        Map<String, Integer> finalTry = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                SELECT dag_id || ' ' || run_id || ' ' || task_id AS task, try_number, state FROM task_instance
                WHERE dag_id LIKE 'fault_load_%'""").mapToMap().forEach(row -> {
                    assertThat(row.get("state")).as("state of %s", row.get("task")).isEqualTo("success");
                    finalTry.put((String) row.get("task"), (Integer) row.get("try_number"));
                }));
        Path file = home.resolve("shared/executions.txt");
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        Map<String, List<long[]>> executions = new HashMap<>();   // task -> [try, start, end]
        for (String line : lines) {
            String[] f = line.split(" ");
            assertThat(f).as("execution line '%s'", line).hasSize(6);
            executions.computeIfAbsent(f[0] + " " + f[1] + " " + f[2], k -> new ArrayList<>()).add(new long[] {
                    Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])});
        }
        // Tries a live worker stopped itself, because it could not heartbeat (the log says so): they may run again.
        Set<String> fenced = new HashSet<>(jdbi.withHandle(h -> h.createQuery("""
                SELECT DISTINCT t.dag_id || ' ' || t.run_id || ' ' || t.task_id || ' ' || l.try_number
                FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                WHERE t.dag_id LIKE 'fault%' AND l.line LIKE '%fenced: worker%'""").mapTo(String.class).list()));
        int rerun = 0;
        int rerunFenced = 0;
        int duplicated = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Integer> e : finalTry.entrySet()) {
            List<long[]> runs = executions.getOrDefault(e.getKey(), List.of());
            Map<Long, Long> perTry = runs.stream().collect(Collectors.groupingBy(r -> r[0], Collectors.counting()));
            if (perTry.getOrDefault((long) e.getValue(), 0L) != 1) {
                problems.add(e.getKey() + ": final try " + e.getValue() + " executed "
                        + perTry.getOrDefault((long) e.getValue(), 0L) + " times");
            }
            for (Map.Entry<Long, Long> t : perTry.entrySet()) {
                if (t.getValue() > 1) {
                    duplicated++;
                    problems.add(e.getKey() + ": try " + t.getKey() + " executed " + t.getValue() + " times");
                }
                if (t.getKey() > e.getValue()) {
                    problems.add(e.getKey() + ": try " + t.getKey() + " ran but the task instance says " + e.getValue());
                } else if (t.getKey() < e.getValue()) {
                    rerun++;
                    String tryKey = e.getKey() + " " + t.getKey();
                    if (fenced.contains(tryKey)) {
                        rerunFenced++;
                    } else if (inFlight != null && !inFlight.contains(tryKey)) {
                        problems.add(e.getKey() + ": try " + t.getKey() + " completed, yet the task ran again, and "
                                + "that try was neither in flight on the killed worker nor stopped by its fenced worker");
                    }
                }
            }
            List<long[]> byStart = runs.stream().sorted((a, b) -> Long.compare(a[1], b[1])).toList();
            for (int i = 1; i < byStart.size(); i++) {
                if (byStart.get(i)[1] < byStart.get(i - 1)[2]) {
                    problems.add(e.getKey() + ": try " + byStart.get(i)[0] + " started while try "
                            + byStart.get(i - 1)[0] + " still ran");
                }
            }
        }
        long strays = executions.keySet().stream().filter(k -> !finalTry.containsKey(k)).count();
        assertThat(strays).as("executions of tasks that are not in the database").isZero();
        assertThat(problems).as("executions against task instances").isEmpty();
        return new Figures(finalTry.size(), rerun, rerunFenced, duplicated);
    }

    private static void report(String scenario, Figures f, String faults, long startedNanos) {
        System.out.printf("FAULT SUITE | %s | %d tasks | %s | %d completed tries ran again (%d fenced) | %d executed"
                + " twice | %.0f s%n", scenario, f.tasks(), faults, f.rerun(), f.fenced(), f.duplicated(),
                (System.nanoTime() - startedNanos) / 1e9);
    }

    // ---- waiting, with what is stuck when it takes too long ---------------------------------------------------

    private void await(String what, Duration limit, BooleanSupplier condition) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + limit.toSeconds() + " s (logs in " + home + ")\n"
                        + diagnosis());
            }
            Thread.sleep(250);
        }
        System.out.printf("FAULT SUITE | %s after %.1f s%n", what, (System.nanoTime() - until + limit.toNanos()) / 1e9);
    }

    /** A database that is down (terminated, restarting) is simply not ready yet. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException notNow) {
            return false;
        }
    }

    /** Task-instance states, the unfinished ones with their owners, and the errors each process logged last. */
    private String diagnosis() {
        StringBuilder sb = new StringBuilder();
        try {
            List<Map<String, Object>> states = jdbi.withHandle(h -> h.createQuery(
                    "SELECT state, count(*) FROM task_instance GROUP BY state").mapToMap().list());
            List<Map<String, Object>> runs = jdbi.withHandle(h -> h.createQuery(
                    "SELECT dag_id, run_id, state FROM dag_run WHERE dag_id LIKE 'fault%'").mapToMap().list());
            sb.append("task instances by state: ").append(states).append("\nruns: ").append(runs).append('\n');
            sb.append("unfinished (first 20), with their worker's last heartbeat:\n");
            jdbi.useHandle(h -> h.createQuery("""
                    SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.worker_id, w.pid, w.heartbeat_at,
                           w.stopped_at
                    FROM task_instance t LEFT JOIN worker w ON w.worker_id = t.worker_id
                    WHERE t.state NOT IN ('success', 'failed', 'skipped', 'upstream_failed', 'removed')
                    ORDER BY t.id LIMIT 20""").mapToMap().forEach(row -> sb.append("  ").append(row).append('\n')));
        } catch (RuntimeException e) {
            sb.append("(database not reachable: ").append(e.getMessage()).append(")\n");
        }
        for (Map.Entry<Process, Path> e : logs.entrySet()) {
            sb.append("--- ").append(e.getValue()).append(e.getKey().isAlive() ? " (alive)" : " (dead)").append('\n');
            try {
                List<String> errors = Files.readAllLines(e.getValue()).stream()
                        .filter(l -> l.startsWith("ERROR") || l.startsWith("WARN")).toList();
                errors.subList(Math.max(0, errors.size() - 8), errors.size())
                        .forEach(l -> sb.append(l, 0, Math.min(l.length(), 300)).append('\n'));
            } catch (IOException ignored) {
                sb.append("(no log)\n");
            }
        }
        return sb.toString();
    }
}
