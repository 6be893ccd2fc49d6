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
 * otherwise idle engine. The target is for the "request accepted → first task running": from the run's
 * {@code queued_at} (stamped by the server just before it inserts the run, so a little before the trigger's commit)
 * to the task's {@code start_date} (stamped when the worker claimed it), both from the server's clock. The client's
 * view, request sent → response received and request sent → task running, is reported beside it.
 */
final class TriggerScenario implements Scenario {
    static final long TARGET_P50_MICROS = 20_000;
    private static final int TRIGGERS = 100;
    private static final int WARM_UP = 10;
    static final String DAG = "bench_trigger";

    @Override
    public String name() {
        return "trigger";
    }

    @Override
    public String description() {
        return "100 REST triggers of a one-task DAG over HTTP: request accepted -> first task running, p50/p99";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        BenchContext.progress("trigger: 100 REST triggers ...");
        try (BenchDatabase db = context.freshDatabase()) {
            BenchServer server = BenchServer.start(db, context.parallelism(32), context.slots(32),
                    Map.of(DAG + ".yaml", BenchServer.dagFile(DAG, 1)));
            server.awaitDag(DAG, Duration.ofMinutes(1));
            Connection c = db.measure();
            db.closeFirst(c);
            return List.of(measure("trigger: REST trigger accepted → first task running", c,
                    runId -> server.expect(200, "POST", "/api/v1/dags/" + DAG + "/dagRuns",
                            "{\"dag_run_id\": \"" + runId + "\"}").micros(), TARGET_P50_MICROS,
                    "server defaults: parallelism 32, 1 s tick"));
        }
    }

    /** Sends one trigger of {@link #DAG} with the given run id; returns µs from sending it to the response. */
    interface Post {
        long send(String runId) throws Exception;
    }

    /**
     * Triggers {@link #TRIGGERS} runs of {@link #DAG} (after {@link #WARM_UP}) one at a time, each when the last has
     * ended, and returns the row: the run's queued_at → the task's start_date, p50 and p99. {@code c} is opened before
     * the first trigger: a new connection per trigger would start a PostgreSQL backend inside the interval measured.
     */
    static Row measure(String label, Connection c, Post post, long targetP50Micros, String setting)
            throws Exception {
        PreparedStatement times = c.prepareStatement(
                "SELECT r.state, r.queued_at, t.queued_at, t.start_date, r.start_date FROM task_instance t"
                        + " JOIN dag_run r ON r.id = t.run_pk WHERE t.dag_id = ? AND t.run_id = ?");
        for (int i = 0; i < WARM_UP; i++) {
            triggerAndWait(post, times, "warm_up_" + i);
        }
        List<Long> accepted = new ArrayList<>();
        List<Long> running = new ArrayList<>();
        List<Long> queued = new ArrayList<>();
        List<Long> sentToRunning = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < TRIGGERS; i++) {
            long[] t = triggerAndWait(post, times, String.format(Locale.ROOT, "bench_%03d", i));
            accepted.add(t[0]);
            queued.add(t[1]);
            running.add(t[2]);
            sentToRunning.add(t[3]);
            started.add(t[4]);
        }
        accepted.sort(null);
        queued.sort(null);
        running.sort(null);
        sentToRunning.sort(null);
        started.sort(null);
        long p50 = Stats.percentile(running, 50);
        String notes = String.format(Locale.ROOT, "%d triggers one at a time on an idle engine (%s); run's "
                        + "queued_at (server, before its insert) → run started (a scheduler's pass starts it) p50 %s, → task "
                        + "queued p50 %s, → task start_date (claimed) "
                        + "max %s. Seen by the client: request sent → response received p50 %s, p99 %s; request "
                        + "sent → task running p50 %s, p99 %s",
                TRIGGERS, setting, Stats.ms(Stats.percentile(started, 50)), Stats.ms(Stats.percentile(queued, 50)), Stats.ms(running.getLast()),
                Stats.ms(Stats.percentile(accepted, 50)), Stats.ms(Stats.percentile(accepted, 99)),
                Stats.ms(Stats.percentile(sentToRunning, 50)), Stats.ms(Stats.percentile(sentToRunning, 99)));
        return Row.of(label, "p50 " + Stats.ms(p50) + ", p99 " + Stats.ms(Stats.percentile(running, 99)),
                "p50 ≤ " + Stats.ms(targetP50Micros), p50 <= targetP50Micros, notes);
    }

    /**
     * Triggers one run and waits until it has ended (so the next trigger finds the engine idle, not finishing this
     * run); returns µs from sending the request to the response, from
     * the run's {@code queued_at} to the task's {@code queued_at} and to its {@code start_date}, from sending the
     * request to the task's {@code start_date}, and from the run's {@code queued_at} to its {@code start_date}.
     */
    private static long[] triggerAndWait(Post post, PreparedStatement s, String runId) throws Exception {
        Instant sent = Instant.now();
        long replyMicros = post.send(runId);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        s.setString(1, DAG);
        s.setString(2, runId);
        while (true) {
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && "success".equals(rs.getString(1))) {
                    Instant accepted = rs.getObject(2, OffsetDateTime.class).toInstant();
                    Instant started = rs.getObject(4, OffsetDateTime.class).toInstant();
                    return new long[]{replyMicros,
                            BenchEngine.micros(accepted, rs.getObject(3, OffsetDateTime.class).toInstant()),
                            BenchEngine.micros(accepted, started), BenchEngine.micros(sent, started),
                            BenchEngine.micros(accepted, rs.getObject(5, OffsetDateTime.class).toInstant())};
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not finish within a minute");
            }
            Thread.sleep(5);
        }
    }
}
