package dev.weft.bench;

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
 * Trigger latency: 100 manual runs of a one-task DAG triggered through the REST API of the real server
 * ({@code POST /api/v1/dags/{id}/dagRuns}, basic auth, over HTTP on the loopback interface), one at a time on an
 * otherwise idle engine. Per trigger: request sent → response received (accepted), and request sent → the task's
 * {@code start_date} (the worker's pass that claimed it began).
 */
final class TriggerScenario implements Scenario {
    static final long TARGET_P50_MICROS = 20_000;
    private static final int TRIGGERS = 100;
    private static final int WARM_UP = 10;
    private static final String DAG = "bench_trigger";

    @Override
    public String name() {
        return "trigger";
    }

    @Override
    public String description() {
        return "100 REST triggers of a one-task DAG over HTTP: request sent -> first task running, p50/p99";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("trigger: 100 REST triggers ...");
        try (BenchDatabase db = context.freshDatabase()) {
            BenchServer server = BenchServer.start(db, context.parallelism(32), context.slots(32),
                    Map.of(DAG + ".yaml", BenchServer.dagFile(DAG, 1)));
            server.awaitDag(DAG, Duration.ofMinutes(1));
            for (int i = 0; i < WARM_UP; i++) {
                triggerAndWait(server, db, "warm_up_" + i);
            }
            List<Long> accepted = new ArrayList<>();
            List<Long> running = new ArrayList<>();
            List<Long> queued = new ArrayList<>();
            for (int i = 0; i < TRIGGERS; i++) {
                long[] t = triggerAndWait(server, db, String.format(Locale.ROOT, "bench_%03d", i));
                accepted.add(t[0]);
                queued.add(t[1]);
                running.add(t[2]);
            }
            accepted.sort(null);
            queued.sort(null);
            running.sort(null);
            long p50 = Stats.percentile(running, 50);
            String notes = String.format(Locale.ROOT, "%d triggers one at a time on an idle engine (server defaults:"
                            + " parallelism 32, 1 s tick); request sent → response received p50 %s, p99 %s; → task "
                            + "queued (the scheduler pass that queued it began) p50 %s; → task running (the worker pass "
                            + "that claimed it began) max %s",
                    TRIGGERS, Stats.ms(Stats.percentile(accepted, 50)), Stats.ms(Stats.percentile(accepted, 99)),
                    Stats.ms(Stats.percentile(queued, 50)), Stats.ms(running.getLast()));
            return List.of(Row.of("trigger: REST trigger → first task running",
                    "p50 " + Stats.ms(p50) + ", p99 " + Stats.ms(Stats.percentile(running, 99)),
                    "p50 ≤ " + Stats.ms(TARGET_P50_MICROS), p50 <= TARGET_P50_MICROS, notes));
        }
    }

    /**
     * Triggers one run and waits until its task has ended; returns µs from sending the request to the response, to
     * the task's {@code queued_at} and to its {@code start_date}.
     */
    private static long[] triggerAndWait(BenchServer server, BenchDatabase db, String runId) throws Exception {
        Instant sent = Instant.now();
        BenchServer.Reply reply = server.expect(200, "POST", "/api/v1/dags/" + DAG + "/dagRuns",
                "{\"dag_run_id\": \"" + runId + "\"}");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT state, queued_at, start_date FROM task_instance WHERE dag_id = ? AND run_id = ?")) {
            s.setString(1, DAG);
            s.setString(2, runId);
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && "success".equals(rs.getString(1))) {
                        return new long[]{reply.micros(),
                                BenchEngine.micros(sent, rs.getObject(2, OffsetDateTime.class).toInstant()),
                                BenchEngine.micros(sent, rs.getObject(3, OffsetDateTime.class).toInstant())};
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " did not finish within a minute");
                }
                Thread.sleep(5);
            }
        }
    }
}
