package dev.weft.bench;

import dev.weft.engine.auth.PasswordHasher;
import dev.weft.engine.store.UserStore;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The production topology as separate processes on a benchmark database, started as a user starts them: {@code weft
 * server} (API only: no scheduler, no worker), {@code schedulers} × {@code weft scheduler} and {@code workers} ×
 * {@code weft worker}, each a JVM of its own on this JVM's class path, with the server's JVM options, warnings only
 * (in {@code <its home>/<name>.log}). The processes are stopped (SIGTERM, then SIGKILL) before the database is dropped.
 */
final class BenchTopology implements AutoCloseable {
    private static final String PASSWORD = "bench-admin-password";
    /** The system property through which {@code bench --jfr FILE} reaches the processes started here. */
    static final String JFR_PROPERTY = "weft.bench.jfr";

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String authorization = "Basic " + Base64.getEncoder().encodeToString(
            (BenchServer.ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private final int apiPort;

    private BenchTopology(Path home, int apiPort) {
        this.home = home;
        this.apiPort = apiPort;
    }

    static BenchTopology start(BenchDatabase db, int schedulers, int workers, int parallelism, int slotsPerWorker)
            throws Exception {
        db.weft().users().create(new UserStore.User(BenchServer.ADMIN, PasswordHasher.hash(PASSWORD), "Admin", null,
                "Bench", "Admin", true, null, null, 0, null));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BenchTopology topology = new BenchTopology(Files.createTempDirectory("weft-bench-split"), port);
        db.closeFirst(topology);
        String common = "databaseUrl: \"" + db.url() + "\"\nparallelism: " + parallelism + "\nloadExamples: false\n";
        topology.launch("server", "api", common + "runScheduler: false\nworkerSlots: 0\n");
        for (int i = 0; i < schedulers; i++) {
            topology.launch("scheduler", "scheduler-" + i, common);
        }
        for (int i = 0; i < workers; i++) {
            topology.launch("worker", "worker-" + i, common + "workerSlots: " + slotsPerWorker + "\n");
        }
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement("""
                SELECT (SELECT count(*) FROM worker WHERE stopped_at IS NULL),
                       (SELECT count(*) FROM scheduler_instance WHERE stopped_at IS NULL)""")) {
            // Five JVMs start in seconds on a quiet machine, but in minutes on one that other builds saturate.
            Waits.until(Duration.ofMinutes(10), 100, () -> {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1) == workers && r.getInt(2) == schedulers && topology.apiAnswers();
                }
            }, () -> "the processes did not start within 10 minutes (a machine this busy gives no figures worth "
                    + "having); their logs are in " + topology.home);
        }
        return topology;
    }

    private void launch(String command, String name, String settings) throws IOException {
        Path dir = Files.createDirectories(home.resolve(name));
        Path config = dir.resolve("weft.yml");
        Files.writeString(config, BenchServer.configuration(dir, command.equals("server") ? apiPort : 0, settings));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC"));
        String jfr = System.getProperty(JFR_PROPERTY);
        if (jfr != null) {
            // bench --jfr FILE records each process too, into FILE-<name>.jfr, written when it stops.
            line.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + jfr.replaceAll("\\.jfr$", "") + "-" + name + ".jfr");
        }
        // WEFT_BENCH_PROCESS_JAVA_OPTS reaches each process, with {name} replaced by its name (scheduler-1, ...), so
        // that a profiler's output file or a log of its compilations is its own.
        String options = System.getenv("WEFT_BENCH_PROCESS_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            for (String option : options.trim().split("\\s+")) {
                line.add(option.replace("{name}", name));
            }
        }
        line.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.server.WeftApplication", command,
                config.toString()));
        ProcessBuilder pb = new ProcessBuilder(line);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".log").toFile());
        processes.add(pb.start());
        names.add(name);
    }

    /**
     * The CPU time each process used so far, by kind ({@code api}, {@code scheduler}, {@code worker}: the processes
     * of a kind summed), in nanoseconds; a kind whose time the platform does not tell is left out.
     */
    synchronized java.util.Map<String, Long> cpuNanosByKind() {
        java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        for (int i = 0; i < processes.size(); i++) {
            String kind = kind(i);
            processes.get(i).info().totalCpuDuration()
                    .ifPresent(d -> byKind.merge(kind, d.toNanos(), Long::sum));
        }
        return byKind;
    }

    /**
     * A reading of each process's ticks ({@link ProcStat#cpuTicks}) and of its threads' times
     * ({@link ProcStat#threadTimes}).
     */
    record Ticks(List<Long> processes, List<java.util.Map<Long, ProcStat.ThreadTime>> threads) {
    }

    /** The ticks of each process and the times of its threads so far; see {@link #usedByKind}. */
    synchronized Ticks ticks() {
        List<Long> total = new ArrayList<>();
        List<java.util.Map<Long, ProcStat.ThreadTime>> threads = new ArrayList<>();
        for (Process p : processes) {
            total.add(ProcStat.cpuTicks(p.pid()));
            threads.add(ProcStat.threadTimes(p.pid()));
        }
        return new Ticks(total, threads);
    }

    /**
     * The CPU nanoseconds each kind of process used between two readings, by group of threads
     * ({@link ProcStat#used}), the processes of a kind summed; empty where /proc cannot be read.
     */
    synchronized java.util.Map<String, java.util.Map<String, Long>> usedByKind(Ticks before, Ticks after) {
        java.util.Map<String, java.util.Map<String, Long>> byKind = new java.util.TreeMap<>();
        for (int i = 0; i < after.processes().size(); i++) {
            Long was = before.processes().get(i);
            Long now = after.processes().get(i);
            java.util.Map<String, Long> groups = byKind.computeIfAbsent(kind(i), k -> new java.util.TreeMap<>());
            ProcStat.used(before.threads().get(i), after.threads().get(i), was == null || now == null ? null
                    : (now - was) * ProcStat.NANOS_PER_TICK).forEach((group, t) -> groups.merge(group, t, Long::sum));
        }
        return byKind;
    }

    /**
     * The name of the process a database client is ({@code scheduler-1}), from the application name Weft gives its
     * connections ({@code weft pid N}); other clients keep theirs.
     */
    synchronized String nameOf(String applicationName) {
        for (int i = 0; i < processes.size(); i++) {
            if (("weft pid " + processes.get(i).pid()).equals(applicationName)) {
                return names.get(i);
            }
        }
        return applicationName == null || applicationName.isBlank() ? "(unnamed)" : applicationName;
    }

    /** The kind of the i-th process: its name without the number ({@code scheduler-1} → {@code scheduler}). */
    private String kind(int i) {
        return names.get(i).replaceAll("-\\d+$", "");
    }

    private boolean apiAnswers() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/health"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + apiPort + path;
    }

    /**
     * Triggers a run over REST as the admin user; fails unless the API server accepts it. Returns µs from sending the
     * request to the response.
     */
    long trigger(String dagId, String runId) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/dags/" + dagId
                        + "/dagRuns"))).timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dag_run_id\": \"" + runId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("trigger of " + dagId + " answered " + r.statusCode() + ": " + r.body());
        }
        return (System.nanoTime() - start) / 1000;
    }

    @Override
    public synchronized void close() throws Exception {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        processes.clear();
        names.clear();
        http.close();
        BenchPostgres.deleteQuietly(home);
    }
}
