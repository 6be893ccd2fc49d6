package dev.weft.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft dags list}'s whole wall time: the launcher ({@code ./weft dags list}) as a child process against the
 * bench's server with 100 DAGs, 20 times one after the other after 2 warm-up runs. It includes everything a user
 * waits for: the launcher script (finding a JDK, checking whether a rebuild is needed), the CLI's JVM start, the HTTP
 * request and printing the table.
 */
final class CliScenario implements Scenario {
    static final long TARGET_MICROS = 500_000;
    private static final int DAGS = 100;
    private static final int RUNS = 20;

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public String description() {
        return "./weft dags list as a child process against the bench's server (100 DAGs): wall time p50/p99";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        Path launcher = launcher();
        BenchContext.progress("cli: " + launcher + " dags list ...");
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < DAGS; i++) {
            String id = String.format(Locale.ROOT, "bench_cli_%03d", i);
            files.put(id + ".yaml", BenchServer.dagFile(id, 1));
        }
        try (BenchDatabase db = context.freshDatabase()) {
            BenchServer server = BenchServer.start(db, context.parallelism(32), context.slots(32), files);
            server.awaitDag(String.format(Locale.ROOT, "bench_cli_%03d", DAGS - 1), Duration.ofMinutes(2));
            // The first run may build Weft (the launcher rebuilds when a source is newer than its jars).
            List<String> viaLauncher = List.of(launcher.toString(), "dags", "list");
            run(viaLauncher, server, Duration.ofMinutes(15), true);
            List<Long> times = measure(viaLauncher, server);
            long p50 = Stats.percentile(times, 50);
            // The same command without the launcher script: a client JVM with the usual start-up flags.
            Path jar = launcher.toAbsolutePath().getParent().resolve("cli/target/weft-cli.jar");
            List<Long> direct = measure(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", jar.toString(), "dags",
                    "list"), server);
            return List.of(Row.of("cli: weft dags list, wall time", "p50 " + Stats.ms(p50) + ", p99 "
                            + Stats.ms(Stats.percentile(times, 99)), "p50 ≤ " + Stats.ms(TARGET_MICROS),
                    p50 <= TARGET_MICROS, String.format(Locale.ROOT, "%d runs of ./weft dags list (100 DAGs, table "
                            + "output) one after the other, process start → exit: the launcher script (finds a JDK, "
                            + "checks whether sources are newer than the jars), a client JVM, one HTTP request; min %s",
                            RUNS, Stats.ms(times.getFirst()))),
                    Row.info("cli: the client JVM alone (java -jar weft-cli.jar dags list)", "p50 "
                            + Stats.ms(Stats.percentile(direct, 50)) + ", p99 " + Stats.ms(Stats.percentile(direct, 99)),
                            "the same command as java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -jar "
                                    + "cli/target/weft-cli.jar, without the launcher script (JDK search, source "
                                    + "freshness check) and whatever else the launcher adds"));
        }
    }

    /** One warm-up run, then {@code RUNS} measured ones; sorted µs. */
    private static List<Long> measure(List<String> command, BenchServer server) throws Exception {
        run(command, server, Duration.ofMinutes(1), false);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            times.add(run(command, server, Duration.ofMinutes(1), false));
        }
        times.sort(null);
        return times;
    }

    /**
     * Runs {@code weft dags list}; returns its wall time in µs. Unless {@code mayBuild}, a run in which the launcher
     * rebuilt Weft (a source changed while the bench ran) fails the scenario rather than being measured.
     */
    private static long run(List<String> command, BenchServer server, Duration timeout, boolean mayBuild)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("WEFT_URL", server.url());
        pb.environment().put("WEFT_USER", BenchServer.ADMIN);
        pb.environment().put("WEFT_PASSWORD", BenchServer.PASSWORD);
        pb.redirectErrorStream(true);
        File output = File.createTempFile("weft-bench-cli", ".txt");
        try {
            pb.redirectOutput(output);
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("weft dags list did not end within " + timeout);
            }
            long micros = (System.nanoTime() - start) / 1000;
            String text = Files.readString(output.toPath());
            if (p.exitValue() != 0 || !text.contains("bench_cli_000")) {
                throw new IllegalStateException("weft dags list exited " + p.exitValue() + ": " + text);
            }
            if (!mayBuild && text.contains("weft: building Weft")) {
                throw new IllegalStateException("the launcher rebuilt Weft during the measurement (a source is "
                        + "newer than the jars): build first, and do not edit sources while the bench runs");
            }
            return micros;
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    /**
     * The launcher: {@code WEFT_BENCH_LAUNCHER}, else {@code weft} in the source tree the bench jar was built in
     * ({@code <root>/bench/target/weft-bench.jar}).
     */
    static Path launcher() throws URISyntaxException {
        String configured = System.getenv("WEFT_BENCH_LAUNCHER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path jar = Path.of(CliScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent() == null || jar.getParent().getParent() == null ? null
                : jar.getParent().getParent().getParent();
        Path weft = root == null ? null : root.resolve("weft");
        if (weft == null || !Files.isExecutable(weft)) {
            throw new IllegalStateException("cannot find the weft launcher beside " + jar
                    + "; set WEFT_BENCH_LAUNCHER to its path");
        }
        return weft;
    }
}
