package dev.weft.server.it;

import dev.weft.engine.Wakeups;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.store.TestDatabase;
import dev.weft.store.WeftDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Weft processes of one test ({@code weft scheduler}, {@code weft worker}, …) on a database of its own, all stopped
 * when the test closes it; and what such tests ask of the database they share.
 */
final class EngineProcesses implements AutoCloseable {
    private final TestDatabase db = TestDatabase.create();
    private final List<Process> processes = new ArrayList<>();

    TestDatabase database() {
        return db;
    }

    /** The configuration line that points a process at this test's database. */
    String databaseSetting() {
        return "databaseUrl: \"" + db.url() + "\"\n";
    }

    /** Runs {@code weft <command>} with WEFT_HOME {@code home} (see {@link ServerProcess#launch}). */
    Process launch(String command, Path home, String settings, String... arguments) throws Exception {
        return start(command, home, settings, arguments).process();
    }

    /** As {@link #launch}, with the port a server listens on. */
    ServerProcess.Started start(String command, Path home, String settings, String... arguments) throws Exception {
        Files.createDirectories(home);
        ServerProcess.Started started = ServerProcess.launch(command, home, settings, Map.of(), arguments);
        processes.add(started.process());
        return started;
    }

    /** The process id of the running worker, or -1 before one registered. */
    long workerPid() {
        return db.database().jdbi().withHandle(h -> h.createQuery("SELECT pid FROM worker WHERE stopped_at IS NULL")
                .mapTo(Long.class).findFirst().orElse(-1L));
    }

    /** Triggers a run of {@code dagId} as the API server would, and waits until it finished. */
    RunRecord runToTheEnd(String dagId, Map<String, Object> conf) throws InterruptedException {
        WeftDatabase store = db.database();
        RunService runs = new RunService(store.dags(), store.runs(), store.taskInstances(), store.datasets(),
                store.transactor(), new DagCatalog(store.dags()), new RunFactory(store.runs(), Clock.systemUTC()),
                Wakeups.NONE, Clock.systemUTC());
        RunRecord run = runs.trigger(new RunService.Trigger(dagId, null, null, null, conf, null, null));
        await(Duration.ofSeconds(90), () -> store.runs().find(run.id()).orElseThrow().state().isFinished());
        return store.runs().find(run.id()).orElseThrow();
    }

    /** The process ids of the workers that ran a run's task instances. */
    List<Long> ranOn(RunRecord run) {
        return db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT w.pid FROM task_instance t JOIN worker w ON w.worker_id = t.worker_id
                        WHERE t.run_pk = :run""").bind("run", run.id()).mapTo(Long.class).list());
    }

    /** Waits for {@code condition}; fails at once when one of the processes stopped. */
    void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new AssertionError("a Weft process stopped; see its log");
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        db.close();
    }
}
