package dev.weft.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weft's benchmark: {@code ./weft bench [options] [scenario ...]}. Starts Weft in this process against PostgreSQL (the
 * server at the admin URL when it answers, else an embedded one), runs each scenario in its own fresh database and
 * prints one markdown table, one row per figure, under a line naming the machine, Java and PostgreSQL.
 */
public final class Bench {
    /** Every scenario, in the order they run by default. */
    static final List<Scenario> SCENARIOS = List.of(new ThroughputScenario(), new ChainScenario(),
            new TriggerScenario(), new SensorScenario(), new FileArrivalScenario(), new PagesScenario(),
            new CliScenario(), new ScalingScenario(), new SplitScenario(), new DatasetScenario());

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        boolean profile = false;
        boolean embedded = false;
        String jfr = null;
        Integer parallelism = null;
        Integer slots = null;
        int windowSeconds = 60;
        int sensors = SensorScenario.DEFAULT_SENSORS;
        String url = System.getenv().getOrDefault("WEFT_BENCH_DATABASE_URL", BenchPostgres.DEFAULT_URL);
        Map<String, Scenario> chosen = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help", "help" -> {
                    usage(out);
                    return 0;
                }
                case "--list" -> {
                    SCENARIOS.forEach(s -> out.printf("%-13s %s%n", s.name(), s.description()));
                    return 0;
                }
                case "--profile" -> profile = true;
                case "--embedded" -> embedded = true;
                case "--jfr", "--database-url", "--parallelism", "--slots", "--window", "--sensors" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("bench: " + a + " needs a value");
                        return 2;
                    }
                    String value = args[++i];
                    switch (a) {
                        case "--jfr" -> jfr = value;
                        case "--database-url" -> url = value;
                        default -> {
                            Integer n = positive(value);
                            if (n == null) {
                                System.err.println("bench: " + a + " needs a positive number, got '" + value + "'");
                                return 2;
                            }
                            if (a.equals("--parallelism")) {
                                parallelism = n;
                            } else if (a.equals("--window")) {
                                windowSeconds = n;
                            } else if (a.equals("--sensors")) {
                                sensors = n;
                            } else {
                                slots = n;
                            }
                        }
                    }
                }
                default -> {
                    Scenario s = SCENARIOS.stream().filter(x -> x.name().equals(a)).findFirst().orElse(null);
                    if (s == null) {
                        System.err.println("bench: unknown scenario or option '" + a + "'; scenarios: "
                                + SCENARIOS.stream().map(Scenario::name).toList() + " (see --help)");
                        return 2;
                    }
                    chosen.put(s.name(), s);
                }
            }
        }
        if (chosen.isEmpty()) {
            SCENARIOS.forEach(s -> chosen.put(s.name(), s));
        }
        quietLogging();

        Recording recording = null;
        if (jfr != null) {
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setDestination(Path.of(jfr));
            recording.start();
            System.setProperty(BenchTopology.JFR_PROPERTY, jfr);
        }
        List<Scenario.Row> rows = new ArrayList<>();
        String header;
        BenchContext context;
        int failures = 0;
        try (BenchPostgres postgres = embedded ? BenchPostgres.embedded()
                : BenchPostgres.connect(url, true)) {
            header = header(postgres);
            context = new BenchContext(postgres, profile, parallelism, slots,
                    java.time.Duration.ofSeconds(windowSeconds), sensors);
            for (Scenario s : chosen.values()) {
                try {
                    rows.addAll(s.run(context));
                } catch (Exception e) {
                    failures++;
                    System.err.println("bench: scenario " + s.name() + " failed: " + e);
                    e.printStackTrace(System.err);
                    rows.add(new Scenario.Row(s.name(), "failed", "–", false, String.valueOf(e.getMessage())));
                }
            }
        } finally {
            if (recording != null) {
                recording.stop();
                recording.close();
                System.err.println("bench: flight recording written to " + jfr);
            }
        }
        out.println(header);
        out.println();
        printTable(out, rows);
        if (profile && !context.profileLines().isEmpty()) {
            out.println();
            out.println("## Profile");
            out.println();
            context.profileLines().forEach(out::println);
        }
        return failures == 0 ? 0 : 1;
    }

    private static Integer positive(String s) {
        try {
            int n = Integer.parseInt(s);
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String header(BenchPostgres postgres) {
        String where = postgres.isEmbedded() ? "embedded" : "server";
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String serverDefault = postgres.setting("synchronous_commit");
        return String.format(Locale.ROOT, "Weft bench %s: %d cores (load average %s at start), Java %s (%s), %s "
                        + "(%s; durable commits: synchronous_commit=on for the bench databases%s, fsync=%s; "
                        + "autovacuum=%s)",
                LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(),
                load < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", load), Runtime.version(),
                System.getProperty("java.vm.vendor", "?"), postgres.version(), where,
                serverDefault.equals("on") ? "" : " (server default " + serverDefault + ")",
                postgres.setting("fsync"), postgres.setting("autovacuum"));
    }

    static void printTable(PrintStream out, List<Scenario.Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{"scenario", "result", "target", "notes"});
        for (Scenario.Row r : rows) {
            String target = r.met() == null ? r.target() : r.target() + (r.met() ? " (met)" : " (missed)");
            cells.add(new String[]{r.scenario(), r.result(), target, r.notes()});
        }
        int[] width = new int[3];
        for (String[] row : cells) {
            for (int c = 0; c < 3; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (int i = 0; i < cells.size(); i++) {
            String[] row = cells.get(i);
            out.println("| " + pad(row[0], width[0]) + " | " + pad(row[1], width[1]) + " | " + pad(row[2], width[2])
                    + " | " + row[3].replace("|", "\\|") + " |");
            if (i == 0) {
                out.println("|" + "-".repeat(width[0] + 2) + "|" + "-".repeat(width[1] + 2) + "|"
                        + "-".repeat(width[2] + 2) + "|---|");
            }
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static void quietLogging() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: weft bench [options] [scenario ...]

                Runs Weft in this process against PostgreSQL and prints one markdown table: a row per figure, with
                its target. Each scenario runs in a fresh database that is dropped afterwards.

                Scenarios (default: all):""");
        SCENARIOS.forEach(s -> out.printf("  %-13s %s%n", s.name(), s.description()));
        out.println("""

                Options:
                  --profile            after the table, where each measured phase spent its time: statements and
                                       transactions per loop and pass, CPU, what PostgreSQL's backends waited on
                  --jfr FILE           record a Java Flight Recording (settings "profile") of the run into FILE,
                                       and of each process the split scenario starts into FILE-<name>.jfr
                  --parallelism N      the engine's parallelism for every scenario (default: the scenario's own,
                                       256 for throughput, 32 for chain)
                  --slots N            the worker's slots (default: the parallelism)
                  --window SECONDS     how long the sensors scenario measures each footprint (default 60)
                  --sensors N          how many reschedule-mode sensors the sensors scenario waits on (default
                                       10,000; 100000 for the 100,000-sensor footprint)
                  --database-url URL   admin JDBC URL of a PostgreSQL server whose user may create databases
                                       (default: WEFT_BENCH_DATABASE_URL, else
                                       jdbc:postgresql://localhost:5432/test?user=postgres); when nothing answers
                                       there, an embedded PostgreSQL is started under a temporary directory
                  --embedded           use an embedded PostgreSQL even when a server answers
                  --list               the scenarios, one a line
                """);
    }

    static {
        System.setOut(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }
}
