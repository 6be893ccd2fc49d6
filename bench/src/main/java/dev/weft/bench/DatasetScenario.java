package dev.weft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Datasets on the real server: (1) 100 events posted through {@code POST /api/v1/datasets/events}, one at a time on
 * an idle engine, each starting a run of a one-task DAG scheduled on the dataset: the event's timestamp (stamped by
 * the server when it records it) → the task's {@code start_date} (claimed by the worker); (2) 10 uploads into a folder
 * feeding a dataset: a data file, then {@code _SUCCESS}: the marker's modification time → the run's start, with the
 * feed's polling fallback at 30 s, so only the file watcher can make it fast.
 */
final class DatasetScenario implements Scenario {
    static final long EVENT_TARGET_P50_MICROS = 50_000;
    static final long FILE_TARGET_MICROS = 1_000_000;
    private static final int EVENTS = 100;
    private static final int UPLOADS = 10;
    private static final int WARM_UP = 10;
    private static final String DATASET = "bench://orders";
    private static final String FED = "file:///bench/supermarket";

    @Override
    public String name() {
        return "datasets";
    }

    @Override
    public String description() {
        return "REST dataset event -> first task running (p50/p99); _SUCCESS after a data file -> run started";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("datasets: " + EVENTS + " events, " + UPLOADS + " uploads ...");
        Path folder = Files.createTempDirectory("weft-bench-feed");
        String dags = """
                dag_id: bench_dataset
                schedule: [ "%s" ]
                is_paused_upon_creation: false
                tasks:
                  - {task_id: first, type: standard.empty}
                ---
                dag_id: bench_feed
                schedule: [ "%s" ]
                is_paused_upon_creation: false
                dataset_feeds:
                  - {dataset: "%s", folder: "%s", glob: "*.csv", marker: _SUCCESS}
                tasks:
                  - {task_id: first, type: standard.empty}
                """.formatted(DATASET, FED, FED, folder);
        try (BenchDatabase db = context.freshDatabase()) {
            BenchServer server = BenchServer.start(db, context.parallelism(32), context.slots(32),
                    Map.of("bench_datasets.yaml", dags));
            server.awaitDag("bench_feed", Duration.ofMinutes(1));
            Connection c = db.measure();
            db.closeFirst(c);
            PreparedStatement started = c.prepareStatement("""
                    SELECT e.timestamp, t.start_date, r.start_date FROM dataset_event e
                    JOIN dagrun_dataset_event x ON x.event_id = e.id JOIN dag_run r ON r.id = x.dag_run_id
                    JOIN task_instance t ON t.run_pk = r.id
                    WHERE e.dedup_key = ? AND t.state = 'success'""");
            for (int i = 0; i < WARM_UP; i++) {
                post(server, "warm_up_" + i);
                await(started, "warm_up_" + i);
            }
            List<Long> running = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String key = String.format(Locale.ROOT, "bench_%03d", i);
                post(server, key);
                Instant[] t = await(started, key);
                running.add(BenchEngine.micros(t[0], t[1]));
            }
            running.sort(null);
            long p50 = Stats.percentile(running, 50);

            PreparedStatement fed = c.prepareStatement("""
                    SELECT r.queued_at, r.start_date FROM dag_run r WHERE r.dag_id = 'bench_feed' ORDER BY r.id""");
            List<Long> fileToRun = new ArrayList<>();
            for (int i = 0; i < UPLOADS + 1; i++) {
                Files.deleteIfExists(folder.resolve("_SUCCESS"));
                Files.writeString(folder.resolve(String.format(Locale.ROOT, "sales_%02d.csv", i)), "id,amount\n1,2\n");
                Path marker = Files.writeString(folder.resolve("_SUCCESS"), "");
                FileTime written = Files.getLastModifiedTime(marker);
                List<Instant[]> runs = awaitRuns(fed, i + 1);
                if (i > 0) { // the first upload warms the path up
                    fileToRun.add(BenchEngine.micros(written.toInstant(), runs.getLast()[1]));
                }
            }
            fileToRun.sort(null);
            int runs = awaitRuns(fed, UPLOADS + 1).size();
            return List.of(
                    Row.of("datasets: REST event → first task running",
                            "p50 " + Stats.ms(p50) + ", p99 " + Stats.ms(Stats.percentile(running, 99)),
                            "p50 ≤ " + Stats.ms(EVENT_TARGET_P50_MICROS), p50 <= EVENT_TARGET_P50_MICROS,
                            String.format(Locale.ROOT, "%d events posted one at a time on an idle engine (server "
                                    + "defaults: parallelism 32, 1 s tick); event timestamp (server) → task "
                                    + "start_date (claimed by the worker)", EVENTS)),
                    Row.of("datasets: _SUCCESS after a data file → run started",
                            "p50 " + Stats.ms(Stats.percentile(fileToRun, 50)) + ", max "
                                    + Stats.ms(fileToRun.getLast()),
                            "≤ " + Stats.ms(FILE_TARGET_MICROS), fileToRun.getLast() <= FILE_TARGET_MICROS,
                            String.format(Locale.ROOT, "%d uploads (data file, then _SUCCESS) into a folder feeding "
                                    + "a dataset, feed polling at 30 s; marker mtime → dag_run start_date; %d runs "
                                    + "for %d uploads", UPLOADS, runs, UPLOADS + 1)));
        } finally {
            BenchPostgres.deleteQuietly(folder);
        }
    }

    private static void post(BenchServer server, String key) throws Exception {
        server.expect(200, "POST", "/api/v1/datasets/events", "{\"dataset_uri\": \"" + DATASET
                + "\", \"extra\": {\"dedup_key\": \"" + key + "\"}}");
    }

    /** Waits until the run of the event with this key has its task done; returns [event time, task start]. */
    private static Instant[] await(PreparedStatement s, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        s.setString(1, key);
        while (true) {
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return new Instant[]{rs.getObject(1, OffsetDateTime.class).toInstant(),
                            rs.getObject(2, OffsetDateTime.class).toInstant()};
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the run of event " + key + " did not run within a minute");
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the feed's DAG has {@code n} started runs; returns [queued, started] of each. */
    private static List<Instant[]> awaitRuns(PreparedStatement s, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<Instant[]> runs = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime start = rs.getObject(2, OffsetDateTime.class);
                    if (start != null) {
                        runs.add(new Instant[]{rs.getObject(1, OffsetDateTime.class).toInstant(),
                                start.toInstant()});
                    }
                }
            }
            if (runs.size() >= n) {
                return runs;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the feed's upload " + n + " started no run within a minute");
            }
            Thread.sleep(5);
        }
    }
}
