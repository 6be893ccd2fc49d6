package dev.weft.server.it;

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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code weft scheduler} and {@code weft worker} as two processes on one PostgreSQL: they meet only in the database,
 * and a triggered run of an example DAG (Java callables from the examples bundle) succeeds, run by that worker.
 * Also {@code weft users create CONFIG.yml}, which writes a user straight into the database.
 */
class SplitProcessesIT {
    @TempDir
    Path home;
    private final EngineProcesses processes = new EngineProcesses();
    private final TestDatabase db = processes.database();

    @AfterEach
    void stop() throws Exception {
        processes.close();
    }

    @Test
    void aSchedulerAndAWorkerInTwoProcessesRunATriggeredRun() throws Exception {
        String database = processes.databaseSetting();
        processes.launch("scheduler", home.resolve("scheduler"), database);
        Process worker = processes.launch("worker", home.resolve("worker"), database + "workerSlots: 4\n");
        WeftDatabase store = db.database();
        processes.await(Duration.ofSeconds(90), () -> store.dags().header("listing_6_08").isPresent()
                && processes.workerPid() == worker.pid());

        RunRecord run = processes.runToTheEnd("listing_6_08", Map.of("supermarket_id", 3));

        assertThat(run.state()).isEqualTo(RunState.SUCCESS);
        assertThat(processes.ranOn(run)).as("both tasks ran in the worker process")
                .containsExactly(worker.pid(), worker.pid());
        long copy = store.taskInstances().find("listing_6_08", run.runId(), "copy_to_raw").orElseThrow().id();
        assertThat(store.logs().read(copy, 1, 0, 1000).lines()).anyMatch(l -> l.contains("supermarket_id=3"));
    }

    @Test
    void withoutAPostgreSqlServerTheyRefuseInOneLine() throws Exception {
        Process scheduler = processes.launch("scheduler", home, "");
        assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.exitValue()).isNotZero();
        String log = Files.readString(home.resolve("scheduler.log"));
        assertThat(log).contains("weft: weft scheduler meets the other Weft processes in a PostgreSQL server")
                .doesNotContain("\tat ");
    }

    @Test
    void usersCreateWritesAUserWithAHashedPasswordReadFromStdin() throws Exception {
        String database = processes.databaseSetting();
        Process users = processes.launch("users create", home, database, "--username", "boss",
                "--role", "Admin", "--email", "boss@example.com", "--password-stdin");
        users.getOutputStream().write("boss-pw-9\n".getBytes(StandardCharsets.UTF_8));
        users.getOutputStream().close();
        assertThat(users.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(home.resolve("users-create.log"));
        assertThat(users.exitValue()).as(log).isZero();
        var user = db.database().users().find("boss").orElseThrow();
        assertThat(user.role()).isEqualTo("Admin");
        assertThat(PasswordHasher.matches("boss-pw-9", user.passwordHash())).isTrue();

        Process again = processes.launch("users create", home, database, "--username", "boss",
                "--role", "Nobody", "--email", "b@example.com", "--password-stdin");
        again.getOutputStream().close();
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isNotZero();
        assertThat(Files.readString(home.resolve("users-create.log"))).contains("weft: unknown role 'Nobody'");
    }
}
