package dev.weft.testkit;

import dev.weft.engine.runs.RunIds;
import dev.weft.engine.log.LineLogger;
import dev.weft.spi.Cancellation;
import dev.weft.spi.Connection;
import dev.weft.spi.DagRuns;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.SensorContext;
import dev.weft.spi.TaskKey;
import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link SensorContext} (and so a {@code TaskContext}) for tests of operators and sensors, made with
 * {@link #builder()}. Everything has a default: a scheduled run of {@code test_dag} at {@link #DEFAULT_LOGICAL_DATE}
 * covering one day, a {@link ManualClock} at the end of that day, an {@link InMemoryDagRuns} on that clock, and a
 * logger whose lines {@link #logLines()} returns.
 *
 * <pre>{@code
 * TestTaskContext ctx = TestTaskContext.builder().dagId("d").taskId("t").conf(Map.of("x", 1)).build();
 * ctx.manualClock().advance(Duration.ofMinutes(5));
 * ctx.cancel("timed out");
 * assertThat(ctx.logLines()).contains("INFO hello");
 * }</pre>
 */
public final class TestTaskContext implements SensorContext {
    public static final Instant DEFAULT_LOGICAL_DATE = Instant.parse("2026-01-01T00:00:00Z");

    private final TaskKey taskKey;
    private final RunType runType;
    private final Instant logicalDate;
    private final DataInterval dataInterval;
    private final DataInterval nextDataInterval;
    private final Map<String, Object> conf;
    private final Map<String, Object> params;
    private final Clock clock;
    private final DagRuns dagRuns;
    private final ClassLoader dagClassLoader;
    private final Map<String, String> memo;
    private final Map<String, String> variables;
    /** XComs by task id, then key: the builder's, and what this task pushes. */
    private final Map<String, Map<String, Object>> xcoms = new ConcurrentHashMap<>();
    private final Map<String, Connection> connections;
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final Logger log;
    private final TestCancellation cancellation = new TestCancellation();
    private volatile Instant firstPokeAt;
    private volatile int pokeNumber;

    private TestTaskContext(Builder b) {
        this.runType = b.runType;
        this.logicalDate = b.logicalDate;
        this.dataInterval = b.dataInterval != null ? b.dataInterval
                : new DataInterval(b.logicalDate, b.runType == RunType.MANUAL ? b.logicalDate : b.logicalDate.plus(Duration.ofDays(1)));
        String runId = b.runId != null ? b.runId : RunIds.generate(b.runType, b.logicalDate);
        this.taskKey = new TaskKey(b.dagId, runId, b.taskId, b.tryNumber);
        this.conf = Collections.unmodifiableMap(new LinkedHashMap<>(b.conf));
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
        this.nextDataInterval = b.nextDataInterval;
        this.clock = b.clock != null ? b.clock : new ManualClock(dataInterval.end());
        this.dagRuns = b.dagRuns != null ? b.dagRuns : new InMemoryDagRuns(clock);
        this.dagClassLoader = b.dagClassLoader != null ? b.dagClassLoader : defaultClassLoader();
        this.memo = Collections.synchronizedMap(new LinkedHashMap<>(b.memo));
        this.variables = Map.copyOf(b.variables);
        b.xcoms.forEach((task, values) -> xcoms.put(task, new ConcurrentHashMap<>(values)));
        this.connections = Map.copyOf(b.connections);
        this.firstPokeAt = b.firstPokeAt != null ? b.firstPokeAt : clock.instant();
        this.pokeNumber = b.pokeNumber;
        Consumer<String> echo = b.echo;
        this.log = new LineLogger(taskKey.toString(), b.logLevel, line -> {
            logLines.add(line);
            if (echo != null) {
                echo.accept(line);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A context with every default. */
    public static TestTaskContext create() {
        return builder().build();
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : TestTaskContext.class.getClassLoader();
    }

    // ---- test controls ------------------------------------------------------------------------------------------

    /** Cancels the try, as the engine does on a timeout or when the task is cleared while running. */
    public void cancel(String reason) {
        cancellation.cancel(reason);
    }

    /** The lines logged so far through {@link #log()}, each {@code LEVEL message} (stack trace lines as they are). */
    public List<String> logLines() {
        synchronized (logLines) {
            return List.copyOf(logLines);
        }
    }

    /** The log so far as one text, a line per entry. */
    public String logText() {
        return String.join("\n", logLines());
    }

    /** The XComs of a task by key: what this task pushed (its own id), or what the builder gave another task. */
    public Map<String, Object> xcoms(String taskId) {
        return Map.copyOf(xcoms.getOrDefault(taskId, Map.of()));
    }

    /** The clock, when it is a {@link ManualClock} (the default). */
    public ManualClock manualClock() {
        if (clock instanceof ManualClock m) {
            return m;
        }
        throw new IllegalStateException("this context's clock is a " + clock.getClass().getName() + ", not a ManualClock");
    }

    /** The run states, when they are an {@link InMemoryDagRuns} (the default). */
    public InMemoryDagRuns inMemoryDagRuns() {
        if (dagRuns instanceof InMemoryDagRuns m) {
            return m;
        }
        throw new IllegalStateException("this context's dagRuns is a " + dagRuns.getClass().getName() + ", not an InMemoryDagRuns");
    }

    /**
     * Moves on to the next poke of the same wait, as the engine does before poking again: {@link #pokeNumber()} grows
     * by one; {@link #firstPokeAt()} and {@link #memo()} are kept.
     */
    public void nextPoke() {
        pokeNumber++;
    }

    // ---- SensorContext ------------------------------------------------------------------------------------------

    @Override
    public TaskKey taskKey() {
        return taskKey;
    }

    @Override
    public RunType runType() {
        return runType;
    }

    @Override
    public Instant logicalDate() {
        return logicalDate;
    }

    @Override
    public DataInterval dataInterval() {
        return dataInterval;
    }

    @Override
    public Optional<DataInterval> nextDataInterval() {
        return Optional.ofNullable(nextDataInterval);
    }

    @Override
    public Map<String, Object> conf() {
        return conf;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public Logger log() {
        return log;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public DagRuns dagRuns() {
        return dagRuns;
    }

    @Override
    public ClassLoader dagClassLoader() {
        return dagClassLoader;
    }

    /** Mutable and kept for the life of this context, as the engine keeps it across pokes. */
    @Override
    public Map<String, String> memo() {
        return memo;
    }

    @Override
    public Optional<String> variable(String key) {
        return Optional.ofNullable(variables.get(key));
    }

    /** Kept in memory (see {@link #xcoms(String)}); no size limit, no JSON. */
    @Override
    public void xcomPush(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        xcoms.computeIfAbsent(taskKey().taskId(), t -> new ConcurrentHashMap<>()).put(key, value);
    }

    @Override
    public Optional<Object> xcomPull(String taskId, String key) {
        return Optional.ofNullable(xcoms.getOrDefault(taskId, Map.of()).get(key));
    }

    @Override
    public Optional<Connection> connection(String connId) {
        return Optional.ofNullable(connections.get(connId));
    }

    @Override
    public Instant firstPokeAt() {
        return firstPokeAt;
    }

    @Override
    public int pokeNumber() {
        return pokeNumber;
    }

    @Override
    public String toString() {
        return "TestTaskContext[" + taskKey + "]";
    }

    private static final class TestCancellation implements Cancellation {
        private volatile String reason;
        private volatile boolean cancelled;

        void cancel(String why) {
            reason = why;
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public String reason() {
            return reason;
        }
    }

    /** Builds a {@link TestTaskContext}; every setting is optional. */
    public static final class Builder {
        private String dagId = "test_dag";
        private String runId;
        private String taskId = "test_task";
        private int tryNumber = 1;
        private RunType runType = RunType.SCHEDULED;
        private Instant logicalDate = DEFAULT_LOGICAL_DATE;
        private DataInterval dataInterval;
        private DataInterval nextDataInterval;
        private Map<String, Object> conf = Map.of();
        private Map<String, Object> params = Map.of();
        private Clock clock;
        private DagRuns dagRuns;
        private ClassLoader dagClassLoader;
        private Map<String, String> memo = Map.of();
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> xcoms = new LinkedHashMap<>();
        private final Map<String, Connection> connections = new LinkedHashMap<>();
        private Instant firstPokeAt;
        private int pokeNumber = 1;
        private Level logLevel = Level.DEBUG;
        private Consumer<String> echo;

        private Builder() {
        }

        public Builder dagId(String dagId) {
            this.dagId = Objects.requireNonNull(dagId);
            return this;
        }

        /** Default: {@code <run type>__<ISO logical date>}. */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder taskId(String taskId) {
            this.taskId = Objects.requireNonNull(taskId);
            return this;
        }

        public Builder tryNumber(int tryNumber) {
            this.tryNumber = tryNumber;
            return this;
        }

        /** Default {@link RunType#SCHEDULED}. */
        public Builder runType(RunType runType) {
            this.runType = Objects.requireNonNull(runType);
            return this;
        }

        /** Default {@link #DEFAULT_LOGICAL_DATE}. */
        public Builder logicalDate(Instant logicalDate) {
            this.logicalDate = Objects.requireNonNull(logicalDate);
            return this;
        }

        /** Default: one day from the logical date (a zero-length interval for manual runs). */
        public Builder dataInterval(DataInterval dataInterval) {
            this.dataInterval = dataInterval;
            return this;
        }

        /** What {@code nextDataInterval()} returns; default none, as for a DAG without schedule. */
        public Builder nextDataInterval(DataInterval nextDataInterval) {
            this.nextDataInterval = nextDataInterval;
            return this;
        }

        public Builder conf(Map<String, ?> conf) {
            this.conf = new LinkedHashMap<>(conf);
            return this;
        }

        public Builder params(Map<String, ?> params) {
            this.params = new LinkedHashMap<>(params);
            return this;
        }

        /** Default: a {@link ManualClock} at the end of the data interval. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Default: an {@link InMemoryDagRuns} on this context's clock. */
        public Builder dagRuns(DagRuns dagRuns) {
            this.dagRuns = dagRuns;
            return this;
        }

        /** Default: the current thread's context class loader. */
        public Builder dagClassLoader(ClassLoader dagClassLoader) {
            this.dagClassLoader = dagClassLoader;
            return this;
        }

        /** An XCom of another task of the run that {@code xcomPull(taskId, key)} returns. */
        public Builder xcom(String taskId, String key, Object value) {
            this.xcoms.computeIfAbsent(taskId, t -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** An Airflow Variable that {@code variable(key)} returns. */
        public Builder variable(String key, String value) {
            this.variables.put(key, value);
            return this;
        }

        /** An Airflow connection that {@code connection(its id)} returns. */
        public Builder connection(Connection connection) {
            this.connections.put(connection.connId(), connection);
            return this;
        }

        /** What the memo holds before the first poke, as if earlier pokes had left it. */
        public Builder memo(Map<String, String> memo) {
            this.memo = new LinkedHashMap<>(memo);
            return this;
        }

        /** Default: the clock's time when the context is built. */
        public Builder firstPokeAt(Instant firstPokeAt) {
            this.firstPokeAt = firstPokeAt;
            return this;
        }

        /** Default 1. */
        public Builder pokeNumber(int pokeNumber) {
            this.pokeNumber = pokeNumber;
            return this;
        }

        /** The lowest level captured (default DEBUG). */
        public Builder logLevel(Level logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel);
            return this;
        }

        /** Also hands each log line to {@code echo}, e.g. {@code System.out::println} while debugging a test. */
        public Builder echoLog(Consumer<String> echo) {
            this.echo = echo;
            return this;
        }

        public TestTaskContext build() {
            return new TestTaskContext(this);
        }
    }
}
