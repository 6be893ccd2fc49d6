package dev.weft.server.it;

import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.spi.RunState;
import dev.weft.store.TestDatabase;
import dev.weft.store.WeftDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code weft scheduler} and {@code weft worker} as two processes on one PostgreSQL: they meet only in the database,
 * and a triggered run of an example DAG (Java callables from the examples bundle) succeeds, run by that worker.
 * Also {@code weft users create CONFIG.yml}, which writes a user straight into the database.
 */
class SplitProcessesIT {
    @TempDir
    Path home;
    private final TestDatabase db = TestDatabase.create();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        db.close();
    }

    private Process launch(String command, Path dir, String settings) throws Exception {
        Files.createDirectories(dir);
        Process p = ServerProcess.launch(command, dir, settings, Map.of()).process();
        processes.add(p);
        return p;
    }

    @Test
    void aSchedulerAndAWorkerInTwoProcessesRunATriggeredRun() throws Exception {
        String database = "databaseUrl: \"" + db.url() + "\"\n";
        launch("scheduler", home.resolve("scheduler"), database);
        Process worker = launch("worker", home.resolve("worker"), database + "workerSlots: 4\n");
        WeftDatabase store = db.database();
        await(Duration.ofSeconds(90), () -> store.dags().header("listing_6_08").isPresent()
                && workerPid(store) == worker.pid());

        RunService runs = new RunService(store.dags(), store.runs(), store.taskInstances(), store.transactor(),
                new DagCatalog(store.dags()), new RunFactory(store.runs(), Clock.systemUTC()), Wakeups.NONE,
                Clock.systemUTC());
        RunRecord run = runs.trigger(new RunService.Trigger("listing_6_08", null, null, null,
                Map.of("supermarket_id", 3), null, null));
        await(Duration.ofSeconds(90), () -> store.runs().find(run.id()).orElseThrow().state().isFinished());

        assertThat(store.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        List<String> ranOn = store.jdbi().withHandle(h -> h.createQuery("""
                        SELECT w.pid FROM task_instance t JOIN worker w ON w.worker_id = t.worker_id
                        WHERE t.run_pk = :run""").bind("run", run.id()).mapTo(String.class).list());
        assertThat(ranOn).as("both tasks ran in the worker process").containsExactly(
                String.valueOf(worker.pid()), String.valueOf(worker.pid()));
        long copy = store.taskInstances().find("listing_6_08", run.runId(), "copy_to_raw").orElseThrow().id();
        assertThat(store.logs().read(copy, 1, 0, 1000).lines()).anyMatch(l -> l.contains("supermarket_id=3"));
    }

    private static long workerPid(WeftDatabase store) {
        return store.jdbi().withHandle(h -> h.createQuery("SELECT pid FROM worker WHERE stopped_at IS NULL")
                .mapTo(Long.class).findFirst().orElse(-1L));
    }

    @Test
    void withoutAPostgreSqlServerTheyRefuseInOneLine() throws Exception {
        Process scheduler = launch("scheduler", home, "");
        assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.exitValue()).isNotZero();
        String log = Files.readString(home.resolve("scheduler.log"));
        assertThat(log).contains("weft: weft scheduler meets the other Weft processes in a PostgreSQL server")
                .doesNotContain("\tat ");
    }

    @Test
    void usersCreateWritesAUserWithAHashedPasswordReadFromStdin() throws Exception {
        String database = "databaseUrl: \"" + db.url() + "\"\n";
        Files.createDirectories(home);
        Process users = ServerProcess.launch("users create", home, database, Map.of(), "--username", "boss",
                "--role", "Admin", "--email", "boss@example.com", "--password-stdin").process();
        processes.add(users);
        users.getOutputStream().write("boss-pw-9\n".getBytes(StandardCharsets.UTF_8));
        users.getOutputStream().close();
        assertThat(users.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(home.resolve("users-create.log"));
        assertThat(users.exitValue()).as(log).isZero();
        var user = db.database().users().find("boss").orElseThrow();
        assertThat(user.role()).isEqualTo("Admin");
        assertThat(PasswordHasher.matches("boss-pw-9", user.passwordHash())).isTrue();

        Process again = ServerProcess.launch("users create", home, database, Map.of(), "--username", "boss",
                "--role", "Nobody", "--email", "b@example.com", "--password-stdin").process();
        processes.add(again);
        again.getOutputStream().close();
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isNotZero();
        assertThat(Files.readString(home.resolve("users-create.log"))).contains("weft: unknown role 'Nobody'");
    }

    private static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(200);
        }
    }
}
