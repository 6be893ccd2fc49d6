package dev.weft.bench;

import dev.weft.engine.executor.Worker;
import dev.weft.engine.xcom.XComs;
import dev.weft.server.metrics.PrometheusEngineMetrics;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.PoolStore;
import dev.weft.server.WeftRuntime;
import dev.weft.spi.dag.AbstractTaskBuilder;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weft as the server runs it, in this process: a {@link WeftRuntime} on a benchmark database with the scheduler and
 * one worker, the standard plugin from the class path, bench DAGs registered like a DAG bundle's. Measurements read
 * the timestamps the engine wrote ({@code queued_at}, {@code start_date}, {@code end_date}).
 */
final class BenchEngine implements AutoCloseable {
    static final OperatorRef EMPTY = OperatorRef.of("standard.empty", Map.of());

    /**
     * The timestamps of one task instance. {@code committed} is its {@code updated_at}: for a finished task, when the
     * worker's transaction writing the outcome began (the database's {@code now()}), i.e. when its slot was freed.
     */
    record TaskTimes(String runId, String taskId, String state, Instant queued, Instant start, Instant end,
                     Instant committed) {
    }

    /** The timestamps of one run. */
    record RunTimes(String runId, String state, Instant queued, Instant start, Instant end) {
    }

    private final BenchDatabase db;
    private final WeftRuntime runtime;
    private final Path home;
    private final int parallelism;

    BenchEngine(BenchDatabase db, int parallelism, int workerSlots) {
        this.db = db;
        this.parallelism = parallelism;
        try {
            this.home = Files.createTempDirectory("weft-bench-home");
            home.toFile().deleteOnExit(); // when stopped before the engine is built (close() removes it otherwise)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The default pool has 128 slots; a larger parallelism would be capped by it.
        db.weft().pools().upsert(new PoolStore.Pool("default_pool", Math.max(128, parallelism), "Default pool",
                false));
        // The server's settings (WeftConfiguration) except parallelism and slots: 1 s tick, 30 s worker-lost limit;
        // an empty DAGs folder under the bench's own home.
        this.runtime = new WeftRuntime(db.weft(), new WeftRuntime.Settings(home, parallelism, workerSlots, true,
                false, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1), home.resolve("dags"),
                Duration.ofSeconds(30), 64L * 1_048_576, Worker.Settings.DEFAULT_MAX_LOG_BYTES_PER_TRY, null,
                List.of(), List.of(), XComs.DEFAULT_MAX_BYTES), Clock.systemUTC(), db::measure,
                // The server's metrics, so that the figures include their cost.
                new PrometheusEngineMetrics(PrometheusEngineMetrics.newRegistry()));
        db.closeFirst(this);
    }

    int parallelism() {
        return parallelism;
    }

    void register(DagSpec spec) {
        List<String> problems = runtime.registry().register(spec, BenchEngine.class.getClassLoader(), "bench");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("bench DAG " + spec.dagId() + " does not register: " + problems);
        }
    }

    void start() {
        runtime.start();
    }

    /** Triggers a manual run; returns the instant just before the call. */
    Instant trigger(String dagId, String runId, Instant logicalDate) {
        Instant before = Instant.now();
        runtime.runs().trigger(new RunService.Trigger(dagId, runId, logicalDate, null, Map.of(), null, null));
        return before;
    }

    /** Waits until {@code count} runs of the DAG have ended, checking every {@code pollMillis}. */
    void awaitRuns(String dagId, int count, Duration timeout, long pollMillis) throws Exception {
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM dag_run WHERE dag_id = ? AND state IN ('success', 'failed')")) {
            s.setString(1, dagId);
            Waits.until(timeout, pollMillis, () -> count(s) >= count,
                    () -> "runs of " + dagId + " did not end within " + timeout + "; task states: " + taskStates(dagId));
        }
    }

    private static int count(PreparedStatement countQuery) throws SQLException {
        try (ResultSet rs = countQuery.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Task instance counts by state, e.g. {@code {success=10000}}. */
    Map<String, Integer> taskStates(String dagId) throws SQLException {
        Map<String, Integer> states = new LinkedHashMap<>();
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT state, count(*) FROM task_instance WHERE dag_id = ? GROUP BY state ORDER BY state")) {
            s.setString(1, dagId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return states;
    }

    List<TaskTimes> taskTimes(String dagId) throws SQLException {
        return taskTimes(dagId, "");
    }

    /** The times of the tasks of the runs whose ids start with {@code runIdPrefix}. */
    List<TaskTimes> taskTimes(String dagId, String runIdPrefix) throws SQLException {
        List<TaskTimes> times = new ArrayList<>();
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT run_id, task_id, state, queued_at, start_date, end_date, updated_at FROM task_instance"
                        + " WHERE dag_id = ? AND starts_with(run_id, ?) ORDER BY run_id, task_id")) {
            s.setString(1, dagId);
            s.setString(2, runIdPrefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    times.add(new TaskTimes(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                            instant(rs, 5), instant(rs, 6), instant(rs, 7)));
                }
            }
        }
        return times;
    }

    List<RunTimes> runTimes(String dagId) throws SQLException {
        List<RunTimes> times = new ArrayList<>();
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT run_id, state, queued_at, start_date, end_date FROM dag_run WHERE dag_id = ? ORDER BY id")) {
            s.setString(1, dagId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    times.add(new RunTimes(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                            instant(rs, 5)));
                }
            }
        }
        return times;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1000;
    }

    // ---- bench DAGs: standard.empty tasks only, manual runs, limits high enough not to be the bound ----

    private static DagBuilder dag(String dagId) {
        return Dag.builder(dagId).maxActiveRuns(10_000).maxActiveTasks(1_000_000);
    }

    /** {@code tasks} independent no-op tasks. */
    static DagSpec independent(String dagId, int tasks) {
        return independent(dagId, tasks, 10_000);
    }

    /** {@code tasks} independent no-op tasks, at most {@code maxActiveRuns} runs running at once. */
    static DagSpec independent(String dagId, int tasks, int maxActiveRuns) {
        DagBuilder dag = dag(dagId).maxActiveRuns(maxActiveRuns);
        for (int i = 0; i < tasks; i++) {
            dag.task(taskId(i), EMPTY);
        }
        return dag.build();
    }

    /** One root task and {@code tasks - 1} tasks downstream of it. */
    static DagSpec fanOut(String dagId, int tasks) {
        DagBuilder dag = dag(dagId);
        var root = dag.task("root", EMPTY);
        for (int i = 1; i < tasks; i++) {
            dag.task(taskId(i), EMPTY).after(root);
        }
        return dag.build();
    }

    /** {@code tasks} no-op tasks in a line: t00000 >> t00001 >> ... */
    static DagSpec chain(String dagId, int tasks) {
        DagBuilder dag = dag(dagId);
        AbstractTaskBuilder<?>[] line = new AbstractTaskBuilder<?>[tasks];
        for (int i = 0; i < tasks; i++) {
            line[i] = dag.task(taskId(i), EMPTY);
        }
        Dag.chain(line);
        return dag.build();
    }

    /**
     * {@code sensors} file sensors ({@code standard.file_sensor}) in the given mode, each waiting for its own file
     * {@code directory/<task id>.csv}, poking every {@code pokeInterval}, with a timeout of a day.
     */
    static DagSpec fileSensors(String dagId, int sensors, Path directory, SensorMode mode, Duration pokeInterval) {
        DagBuilder dag = dag(dagId);
        for (int i = 0; i < sensors; i++) {
            dag.sensor(taskId(i), SensorRef.of("standard.file_sensor",
                            Map.of("filepath", directory.resolve(taskId(i) + ".csv").toString())))
                    .mode(mode).pokeInterval(pokeInterval).timeout(Duration.ofDays(1));
        }
        return dag.build();
    }

    /** Waits until {@code count} task instances of the DAG are in {@code state} (one connection for the wait). */
    void awaitState(String dagId, String state, int count, Duration timeout) throws Exception {
        try (Connection c = db.measure(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM task_instance WHERE dag_id = ? AND state = ?")) {
            s.setString(1, dagId);
            s.setString(2, state);
            Waits.until(timeout, 100, () -> count(s) >= count, () -> count + " tasks of " + dagId + " were not "
                    + state + " within " + timeout + "; task states: " + taskStates(dagId));
        }
    }

    static String taskId(int i) {
        return String.format("t%05d", i);
    }

    /** Stops the engine and removes its home; closing again does nothing. */
    @Override
    public synchronized void close() {
        runtime.close();
        BenchPostgres.deleteQuietly(home);
    }
}
