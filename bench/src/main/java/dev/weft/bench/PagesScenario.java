package dev.weft.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Page and list times of the real server, over HTTP on the loopback interface: the web UI's DAG list ({@code /})
 * with 500 DAGs and its grid page of 100 runs × 200 tasks ({@code /dags/{id}/grid?num_runs=100}, HTML rendered on the
 * server), the grid data the API gives scripts ({@code GET /api/v1/weft/dags/{id}/grid}), and the runs list
 * ({@code GET /api/v1/dags/{id}/dagRuns}, 100 runs). Each is requested 100 times one after the other after 10
 * warm-up requests, as admin with basic auth (the UI's pages take it as the API does); the time is the client's,
 * from sending the request to having read the whole response, so it contains the server time plus a loopback round
 * trip and the client's parsing of the HTTP response.
 */
final class PagesScenario implements Scenario {
    /** The bound for the grid page: 100 runs × 200 tasks in 100 ms. */
    static final long GRID_PAGE_TARGET_MICROS = 100_000;
    static final long GRID_DATA_TARGET_MICROS = 300_000;
    static final long DAG_LIST_TARGET_MICROS = 300_000;
    private static final int DAGS = 500;
    private static final int RUNS = 100;
    private static final int TASKS = 200;
    private static final int REQUESTS = 100;
    private static final int WARM_UP = 10;
    private static final String GRID_DAG = "bench_grid";
    private static final Pattern TOTAL = Pattern.compile("\"total_entries\"\\s*:\\s*(\\d+)");

    @Override
    public String name() {
        return "pages";
    }

    @Override
    public String description() {
        return "UI pages: DAG list of 500 DAGs and grid of 100 runs x 200 tasks; grid data and runs list of the API:"
                + " p50/p99 over HTTP";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("pages: 500 DAG files and 100 runs x 200 tasks ...");
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < DAGS - 1; i++) {
            String id = String.format(Locale.ROOT, "bench_list_%03d", i);
            files.put(id + ".yaml", BenchServer.dagFile(id, 1));
        }
        files.put(GRID_DAG + ".yaml", BenchServer.dagFile(GRID_DAG, TASKS));
        try (BenchDatabase db = context.freshDatabase()) {
            BenchServer server = BenchServer.start(db, context.parallelism(32), context.slots(32), files);
            awaitDagCount(server, DAGS, Duration.ofMinutes(2)); // the grid's DAG among them
            fillGrid(server, db);

            List<Row> rows = new ArrayList<>();
            BenchServer.Reply landing = server.expect(200, "GET", "/", null);
            int listed = count(landing.body(), "<tr data-dag-id=");
            if (listed == 0 || !landing.body().contains("(" + DAGS + ")")) {
                throw new IllegalStateException("the DAG list shows " + listed + " rows and not the total of " + DAGS);
            }
            rows.add(row(server, "pages: DAG list (/), 500 DAGs", "/", "≤ " + Stats.ms(DAG_LIST_TARGET_MICROS),
                    DAG_LIST_TARGET_MICROS, String.format(Locale.ROOT, "GET / (HTML, the first page of %d of the %d "
                            + "DAGs with their latest runs, %,d bytes)", listed, DAGS, landing.body().length())));
            String gridPage = "/dags/" + GRID_DAG + "/grid?num_runs=" + RUNS;
            BenchServer.Reply page = server.expect(200, "GET", gridPage, null);
            int columns = count(page.body(), "data-run-id=");
            int taskRows = count(page.body(), "<tr data-task-id=");
            int squares = count(page.body(), "<td><a ");
            if (columns != RUNS || taskRows != TASKS || squares != RUNS * TASKS) {
                throw new IllegalStateException("the grid page shows " + columns + " runs, " + taskRows + " tasks and "
                        + squares + " squares; expected " + RUNS + " × " + TASKS);
            }
            rows.add(row(server, "pages: grid page, 100 runs × 200 tasks", gridPage,
                    "≤ " + Stats.ms(GRID_PAGE_TARGET_MICROS), GRID_PAGE_TARGET_MICROS, String.format(Locale.ROOT,
                            "GET /dags/{id}/grid?num_runs=100 (HTML, %,d bytes, %,d squares with their hover text)",
                            page.body().length(), squares)));
            BenchServer.Reply grid = server.expect(200, "GET", "/api/v1/weft/dags/" + GRID_DAG + "/grid?num_runs="
                    + RUNS, null);
            var data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(grid.body());
            int cells = 0;
            for (var task : data.get("tasks")) {
                for (var state : task.get("states")) {
                    cells += state.isNull() ? 0 : 1;
                }
            }
            if (data.get("dag_runs").size() != RUNS || data.get("tasks").size() != TASKS || cells != RUNS * TASKS) {
                throw new IllegalStateException("the grid shows " + data.get("dag_runs").size() + " runs, "
                        + data.get("tasks").size() + " tasks and " + cells + " states; expected " + RUNS + " × "
                        + TASKS);
            }
            rows.add(row(server, "pages: grid data API, 100 runs × 200 tasks", "/api/v1/weft/dags/" + GRID_DAG
                            + "/grid?num_runs=" + RUNS, "≤ " + Stats.ms(GRID_DATA_TARGET_MICROS),
                    GRID_DATA_TARGET_MICROS,
                    String.format(Locale.ROOT, "GET /api/v1/weft/dags/{id}/grid?num_runs=100 (JSON, %,d bytes, "
                            + "%,d task states; two queries: runs, then their task instances)", grid.body().length(),
                            cells)));
            BenchServer.Reply runs = server.expect(200, "GET", "/api/v1/dags/" + GRID_DAG + "/dagRuns", null);
            rows.add(row(server, "pages: runs list, 100 runs", "/api/v1/dags/" + GRID_DAG + "/dagRuns", "–", 0,
                    String.format(Locale.ROOT, "GET /api/v1/dags/{id}/dagRuns (Airflow's default page of 100, "
                            + "%,d bytes)", runs.body().length())));
            rows.add(row(server, "pages: DAGs list API, 500 DAGs", "/api/v1/dags?limit=100", "–", 0,
                    "GET /api/v1/dags?limit=100 (the first page of 100 of the 500 DAGs, with total_entries)"));
            return rows;
        }
    }

    /** {@code REQUESTS} requests one at a time after a warm-up; targetMicros 0 means no target. */
    private static Row row(BenchServer server, String label, String path, String target, long targetMicros,
                           String what) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            server.expect(200, "GET", path, null);
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            times.add(server.expect(200, "GET", path, null).micros());
        }
        times.sort(null);
        long p50 = Stats.percentile(times, 50);
        long p99 = Stats.percentile(times, 99);
        String result = "p50 " + Stats.ms(p50) + ", p99 " + Stats.ms(p99);
        String notes = what + "; " + REQUESTS + " requests one at a time as admin (basic auth), time measured by "
                + "the client on localhost (request sent → whole response read), so server time plus a loopback "
                + "round trip";
        return targetMicros == 0 ? Row.info(label, result, notes)
                : Row.of(label, result, "p50 " + target, p50 <= targetMicros, notes);
    }

    private static int count(String text, String of) {
        return text.split(Pattern.quote(of), -1).length - 1;
    }

    private static void awaitDagCount(BenchServer server, int count, Duration timeout) throws Exception {
        Waits.until(timeout, 200, () -> {
            Matcher m = TOTAL.matcher(server.expect(200, "GET", "/api/v1/dags?limit=1", null).body());
            return m.find() && Integer.parseInt(m.group(1)) >= count;
        }, () -> "the server did not load " + count + " DAGs within " + timeout);
    }

    /**
     * 100 manual runs of the 200-task DAG through the API, with the DAG paused so none runs; then their states are
     * set directly in the database (finished runs, 2 % failed tasks), as a day's history would leave them.
     */
    private static void fillGrid(BenchServer server, BenchDatabase db) throws Exception {
        server.expect(200, "PATCH", "/api/v1/dags/" + GRID_DAG, "{\"is_paused\": true}");
        for (int i = 0; i < RUNS; i++) {
            server.expect(200, "POST", "/api/v1/dags/" + GRID_DAG + "/dagRuns", String.format(Locale.ROOT,
                    "{\"dag_run_id\": \"bench_%03d\", \"logical_date\": \"2026-01-01T%02d:%02d:00+00:00\"}", i,
                    i / 60, i % 60));
        }
        try (Connection c = db.measure(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE task_instance SET state = CASE WHEN abs(hashtext(run_id || task_id)) % 50 = 0"
                    + " THEN 'failed' ELSE 'success' END, try_number = 1, start_date = logical_date,"
                    + " end_date = logical_date + interval '1 second', duration = 1 WHERE dag_id = '" + GRID_DAG + "'");
            s.executeUpdate("UPDATE dag_run SET state = 'success', start_date = logical_date,"
                    + " end_date = logical_date + interval '1 minute' WHERE dag_id = '" + GRID_DAG + "'");
        }
        db.vacuumAnalyze();
    }
}
