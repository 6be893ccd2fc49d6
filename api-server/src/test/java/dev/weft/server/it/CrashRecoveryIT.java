package dev.weft.server.it;

import dev.weft.store.EmbeddedDatabase;
import dev.weft.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a running server while a task runs and sensors wait; after a restart every run completes, the tries that
 * were running are retried with "worker lost" in their log, and the rescheduled sensor keeps its wait. And SIGTERM,
 * which stops the server in order, its embedded PostgreSQL last.
 */
class CrashRecoveryIT {
    @TempDir
    Path home;
    private final TestDatabase db = TestDatabase.create();
    private Process server;
    private Jdbi jdbi;
    private boolean embedded;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        db.close();
    }

    @Test
    void aKilledServerLosesNothing() throws Exception {
        jdbi = db.database().jdbi();
        killAndRecover(db.url());
    }

    /** The standalone default: the embedded PostgreSQL under WEFT_HOME outlives the killed JVM and is taken over. */
    @Test
    void aKilledServerWithTheEmbeddedDatabaseLosesNothing() throws Exception {
        killAndRecover(null);
    }

    /**
     * SIGTERM (docker stop, systemctl stop, Ctrl-C) stops Weft before its embedded PostgreSQL: the worker writes back
     * the try it runs, the scheduler records its stop, nothing logs a warning, and no PostgreSQL is left running.
     */
    @Test
    void aServerStoppedWithSigtermWritesBackBeforeItsEmbeddedDatabaseStops() throws Exception {
        embedded = true;
        server = start(Files.createDirectories(home.resolve("flags")), null);
        await(Duration.ofSeconds(60), () -> states().getOrDefault("busy", "").equals("running"));
        Path serverLog = home.resolve("server.log");
        long linesBeforeStop = Files.readAllLines(serverLog).size();

        server.destroy();   // SIGTERM, as docker stop and systemctl stop send
        assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("the server exits").isTrue();

        assertThat(Files.readAllLines(serverLog).stream().skip(linesBeforeStop)
                .filter(line -> line.startsWith("ERROR") || line.startsWith("WARN"))).isEmpty();
        Path dataDirectory = home.resolve("postgres");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(dataDirectory.toString())).orElse(false))).isEmpty();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory, 0)) {
            jdbi = Jdbi.create(database.jdbcUrl());
            // Cancelled by the stop (or, on a stalled machine, ended just before it): written back, not left running.
            assertThat(states().get("busy")).isIn("up_for_retry", "success");
            List<Long> notStopped = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM worker WHERE stopped_at IS NULL
                    UNION ALL SELECT count(*) FROM scheduler_instance WHERE stopped_at IS NULL""")
                    .mapTo(Long.class).list());
            assertThat(notStopped).as("workers, schedulers not marked stopped").containsExactly(0L, 0L);
        }
    }

    private void killAndRecover(String databaseUrl) throws Exception {
        embedded = databaseUrl == null;
        Path flags = Files.createDirectories(home.resolve("flags"));
        server = start(flags, databaseUrl);
        await(Duration.ofSeconds(60), () -> states().getOrDefault("busy", "").equals("running")
                && states().getOrDefault("poking", "").equals("running")
                && states().getOrDefault("rescheduled", "").equals("up_for_reschedule"));

        server.destroyForcibly().waitFor();   // SIGKILL: no shutdown hooks, no clean stop
        server = start(flags, databaseUrl);
        Files.writeString(flags.resolve("go.flag"), "go");
        await(Duration.ofSeconds(90), () -> "success".equals(runState()));

        assertThat(states()).containsEntry("busy", "success").containsEntry("poking", "success")
                .containsEntry("rescheduled", "success");
        assertThat(log("busy", 1)).contains("worker lost");
        assertThat(log("poking", 1)).contains("worker lost");
        assertThat(log("busy", 2)).contains("finished");
        assertThat(tryNumber("rescheduled")).isEqualTo(1);
    }

    private Process start(Path flags, String databaseUrl) throws IOException {
        String settings = "workerLostAfterSeconds: 6\n" + (databaseUrl == null ? "" : "databaseUrl: \"" + databaseUrl + "\"");
        Process process = ServerProcess.start(home, settings, Map.of("WEFT_CRASH_TEST_DIR", flags.toString()));
        if (databaseUrl == null) {
            jdbi = null; // the embedded server may come back on another port
        }
        return process;
    }

    /** The database the server uses: the test's, or the embedded one whose port its lock file names. */
    private Jdbi jdbi() {
        if (jdbi == null) {
            Path pid = home.resolve("postgres/postmaster.pid");
            try {
                List<String> lines = Files.exists(pid) ? Files.readAllLines(pid) : List.of();
                if (lines.size() < 4) {
                    return null;
                }
                jdbi = Jdbi.create("jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres?user=postgres");
                jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM dag").mapTo(Long.class).one());
            } catch (Exception notReady) {
                jdbi = null;
            }
        }
        return jdbi;
    }

    private Map<String, String> states() {
        if (jdbi() == null) {
            return Map.of();
        }
        return jdbi().withHandle(h -> h.createQuery(
                        "SELECT task_id, state FROM task_instance WHERE dag_id = 'crash_test'")
                .setMapKeyColumn("task_id").setMapValueColumn("state")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
    }

    private String runState() {
        if (jdbi() == null) {
            return null;
        }
        List<String> states = jdbi().withHandle(h -> h.createQuery(
                "SELECT state FROM dag_run WHERE dag_id = 'crash_test'").mapTo(String.class).list());
        return states.isEmpty() ? null : states.get(0);
    }

    private int tryNumber(String task) {
        return jdbi().withHandle(h -> h.createQuery(
                        "SELECT try_number FROM task_instance WHERE dag_id = 'crash_test' AND task_id = :t")
                .bind("t", task).mapTo(Integer.class).one());
    }

    private String log(String task, int tryNumber) {
        List<String> lines = jdbi().withHandle(h -> h.createQuery("""
                        SELECT l.line FROM task_log l JOIN task_instance t ON t.id = l.ti_id
                        WHERE t.dag_id = 'crash_test' AND t.task_id = :t AND l.try_number = :n ORDER BY l.id""")
                .bind("t", task).bind("n", tryNumber).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    /** A database that is restarting (the embedded one, taken over by the new server) is simply not ready yet. */
    private boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException restarting) {
            if (embedded) {
                jdbi = null;
            }
            return false;
        }
    }

    private void await(Duration timeout, BooleanSupplier condition) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out; states " + states() + "; server log:\n"
                        + Files.readString(home.resolve("server.log")).lines().filter(l -> !l.startsWith("\tat"))
                        .reduce("", (a, b) -> a.length() > 20_000 ? a : a + b + "\n"));
            }
            Thread.sleep(200);
        }
    }
}
