package dev.weft.engine.executor;

import dev.weft.engine.EngineMetrics;
import dev.weft.engine.callbacks.CallbackRequests;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.json.Json;
import dev.weft.engine.log.LineLogger;
import dev.weft.engine.params.ParamsBinder;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.template.PyDates;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.TryOutcome;
import dev.weft.engine.template.TemplateContext;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.DagRuns;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskFailException;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskKey;
import dev.weft.spi.TaskSkipException;
import dev.weft.spi.TaskState;
import dev.weft.spi.WatchedPath;
import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.SensorSettings;
import dev.weft.spi.dag.TaskSpec;
import org.slf4j.event.Level;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one step of a try: an operator's execution, or one poke of a sensor with the engine's sensor rules (timeout
 * from the first poke, poke or reschedule mode, backoff, soft fail). Plugin code runs with its plugin's class loader
 * as the thread's context class loader.
 */
final class TaskRunner {
    /** What a step led to. */
    sealed interface Step {
    }

    record Finished(TryOutcome outcome) implements Step {
    }

    /** A poke-mode sensor waits, holding its slot, and pokes again at {@code at}. */
    record PokeAgain(Instant at) implements Step {
    }

    private final TemplateRenderer templates;
    private final Variables variables;
    private final XComs xcoms;
    private final Connections connections;
    private final Function<TaskKey, DagRuns> dagRuns;
    private final Function<String, ClassLoader> dagClassLoaders;
    private final Consumer<LogStore.Line> logSink;
    private final Path workDirectory;
    private final Clock clock;
    private final FileWatcher files;
    private final Runnable wakeWorker;
    private final EngineMetrics metrics;
    private final DatasetStore datasets;

    TaskRunner(TemplateRenderer templates, Variables variables, XComs xcoms, Connections connections,
               Function<TaskKey, DagRuns> dagRuns,
               Function<String, ClassLoader> dagClassLoaders, Consumer<LogStore.Line> logSink, Path workDirectory,
               Clock clock, FileWatcher files, Runnable wakeWorker, EngineMetrics metrics, DatasetStore datasets) {
        this.datasets = datasets;
        this.files = files;
        this.metrics = metrics;
        this.wakeWorker = wakeWorker;
        this.templates = templates;
        this.variables = variables;
        this.xcoms = xcoms;
        this.connections = connections;
        this.dagRuns = dagRuns;
        this.dagClassLoaders = dagClassLoaders;
        this.logSink = logSink;
        this.workDirectory = workDirectory;
        this.clock = clock;
    }

    Step run(Attempt a) {
        Step step;
        if (rescheduleMode(a)) {
            // A re-poke's lines are held until its outcome says whether they repeat the previous poke's.
            List<LogStore.Line> lines = Collections.synchronizedList(new ArrayList<>());
            step = writeOrCount(a, (Finished) step(a, logger(a, lines::add)), lines);
        } else {
            step = step(a, logger(a, logSink));
        }
        // A watched sensor that stopped waiting: anything but a reschedule, which waits on in the store.
        if (!(step instanceof PokeAgain) && !(step instanceof Finished f
                && f.outcome().state() == TaskState.UP_FOR_RESCHEDULE)) {
            files.unwatch(a.key());
        }
        return step;
    }

    private static boolean rescheduleMode(Attempt a) {
        return a.type != null && a.type.isSensor() && a.task != null && a.task.sensor() != null
                && a.task.sensor().mode() == SensorMode.RESCHEDULE;
    }

    /**
     * Writes a reschedule-mode poke's lines, unless it answered "not yet" with the same lines as the latest poke
     * whose lines were written: then it is only counted on the task instance (the log shows the count as one line,
     * {@link LogStore#repeatsLine}), so a sensor that waits for hours writes no log row per poke. The count becomes a
     * written line when the answers change or the try ends.
     */
    private Finished writeOrCount(Attempt a, Finished step, List<LogStore.Line> lines) {
        TryOutcome o = step.outcome();
        String digest = o.state() == TaskState.UP_FOR_RESCHEDULE && a.answer != null ? digest(lines, a.answer) : null;
        if (digest != null && digest.equals(a.claimed.logDigest())) {
            return new Finished(withLog(o, digest, a.claimed.logRepeats() + 1));
        }
        if (a.claimed.logRepeats() > 0) {
            logSink.accept(new LogStore.Line(a.claimed.id(), a.claimed.tryNumber(), a.claimed.lastRescheduleAt(),
                    LogStore.repeatsLine(a.claimed.logRepeats(), a.claimed.lastRescheduleAt())));
        }
        lines.forEach(logSink);
        return new Finished(withLog(o, digest, 0));
    }

    /**
     * What a "not yet" poke logged, without the time of its next poke: its lines but the last (the engine's "Not
     * yet …; next poke at …", always the last one), and its answer instead.
     */
    private static String digest(List<LogStore.Line> lines, String answer) {
        MessageDigest sha = SensorTiming.sha1();
        synchronized (lines) {
            for (LogStore.Line line : lines.subList(0, Math.max(0, lines.size() - 1))) {
                sha.update(line.text().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
        }
        sha.update(answer.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static TryOutcome withLog(TryOutcome o, String digest, int repeats) {
        return new TryOutcome(o.id(), o.runPk(), o.tryNumber(), o.state(), o.startDate(), o.endDate(),
                o.nextAttemptAt(), o.outputJson(), o.firstPokeAt(), o.pokeCount(), o.sensorMemo(), o.plugin(),
                o.pluginVersion(), digest, repeats, o.skipTasks(), o.callback());
    }

    private Step step(Attempt a, LineLogger log) {
        if (a.isCancelled()) {
            log.error("Try cancelled: {}", a.reason());
            a.error = "Try cancelled: " + a.reason();
            return failed(a, log);
        }
        if (a.type == null) {
            String reason = a.task == null ? "task '" + a.claimed.taskId() + "' is no longer in the DAG"
                    : "no plugin provides type '" + a.claimed.operator() + "'";
            log.error(reason);
            a.error = reason;
            return finished(a, TaskState.FAILED, null, null);
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(a.type.classLoader());
        try {
            SensorSettings sensor = a.type.isSensor()
                    ? (a.task.sensor() != null ? a.task.sensor() : SensorSettings.DEFAULTS) : null;
            if (sensor != null && a.firstPokeAt == null) {
                // Poke mode: each try starts the timeout anew. Reschedule mode: counted from the first poke, across
                // reschedules and retries, until the task is cleared (Airflow B1.20, B1.21).
                a.firstPokeAt = sensor.mode() == SensorMode.RESCHEDULE && a.claimed.firstPokeAt() != null
                        ? a.claimed.firstPokeAt() : clock.instant();
                if (sensor.mode() == SensorMode.POKE) {
                    a.pokeCount = 0;
                }
            }
            EngineTaskContext ctx = context(a, log);
            Object params = bind(a, ctx);
            if (sensor == null) {
                return execute(a, ctx, params, log);
            }
            return poke(a, ctx, params, sensor, log);
        } catch (TaskSkipException e) {
            log.info("Skipping: {}", e.getMessage());
            return finished(a, TaskState.SKIPPED, null, null);
        } catch (TaskFailException e) {
            log.error("Failing without retry: {}", e.getMessage(), e);
            a.error = describe(e);
            return finished(a, TaskState.FAILED, null, null);
        } catch (CancellationException e) {
            log.error("Try cancelled: {}", a.reason() != null ? a.reason() : e.getMessage());
            a.error = "Try cancelled: " + (a.reason() != null ? a.reason() : e.getMessage());
            return failed(a, log);
        } catch (Throwable e) {
            // Errors too: the try's outcome is written whatever its code throws. An OutOfMemoryError of one huge
            // allocation leaves the JVM well; a JVM that really dies is the lost-worker handling's.
            if (a.isCancelled()) {
                log.error("Try cancelled: {}", a.reason(), e);
                a.error = "Try cancelled: " + a.reason();
            } else {
                log.error("Task failed: {}", describe(e), e);
                a.error = describe(e);
            }
            return failed(a, log);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * The outcome of a try whose step failed outside the task's code (a bug, or a throwable that fails even to be
     * logged): failed, or up for retry while tries remain, so its slot and task instance are never left behind.
     */
    Finished crashed(Attempt a, Throwable e) {
        LineLogger log = logger(a, logSink);
        log.error("The try failed unexpectedly: {}", describe(e));
        a.error = "The try failed unexpectedly: " + describe(e);
        return failed(a, log);
    }

    /**
     * A cancelled try whose step did not end within {@code waited}: its code ignored the interrupt, or its step has
     * not even started (no thread took it). Failed now (retried while tries remain); its step is left to end on its own.
     */
    Finished abandoned(Attempt a, Duration waited) {
        LineLogger log = logger(a, logSink);
        if (a.started()) {
            log.error("The try did not stop within {} of being interrupted ({}): it is failed now, and its code is"
                    + " left to return on its own", waited, a.reason());
            a.error = "The try did not stop within " + waited + " of being interrupted (" + a.reason() + ")";
        } else {
            log.error("The try was cancelled ({}) and no thread had started it {} later: it is failed now, and ends"
                    + " at once when a thread starts it", a.reason(), waited);
            a.error = "The try was cancelled (" + a.reason() + ") and no thread had started it " + waited + " later";
        }
        return failed(a, log);
    }

    /** The try's logger: its lines go to the try's log, through {@code sink}. */
    private LineLogger logger(Attempt a, Consumer<LogStore.Line> sink) {
        long tiId = a.claimed.id();
        int tryNumber = a.claimed.tryNumber();
        return new LineLogger(a.claimed.dagId() + "." + a.claimed.taskId(), Level.INFO, a.secrets,
                line -> sink.accept(new LogStore.Line(tiId, tryNumber, clock.instant(),
                        a.sensitiveParams.mask(line))));
    }

    /** A throwable's class and message, even when its own toString or getMessage throws. */
    private static String describe(Throwable e) {
        try {
            return e.toString();
        } catch (RuntimeException | Error broken) {
            return e.getClass().getName() + " (its message could not be read: " + broken.getClass().getName() + ")";
        }
    }

    private EngineTaskContext context(Attempt a, LineLogger log) {
        TaskKey key = new TaskKey(a.claimed.dagId(), a.claimed.runId(), a.claimed.taskId(), a.claimed.tryNumber());
        return new EngineTaskContext(key, a.run.runType(), a.run.logicalDate(), a.run.dataInterval(),
                () -> a.dag.timetable().intervalAfter(a.run.dataInterval()), a.run.conf(),
                TemplateContext.runParams(a.dagParams, a.run.conf()), log, clock, a, dagRuns.apply(key), () -> dagClassLoaders.apply(a.claimed.dagId()), a.memo,
                a.firstPokeAt, a.pokeCount + 1, variables.reader(a.secrets), xcoms.forTry(a.claimed, a.secrets),
                connections.reader(a.secrets));
    }

    private Object bind(Attempt a, EngineTaskContext ctx) {
        TemplateContext templateContext = new TemplateContext(ctx.taskKey().dagId(), ctx.taskKey().taskId(),
                ctx.taskKey().runId(), ctx.runType(), a.run.externalTrigger(), ctx.logicalDate(), ctx.dataInterval(),
                ctx.conf(), ctx.params(), ctx.taskKey().tryNumber(), Map.of(Datasets.TRIGGERING_EVENTS,
                a.run.runType() == RunType.DATASET_TRIGGERED ? Datasets.triggeringEvents(datasets.consumedBy(
                        a.run.id())) : Map.of()), ctx.variables(), ctx.xcoms(), ctx.connections());
        Set<String> sensitive = a.type.factory().sensitiveParams();
        // As written first: a template that fails to render is quoted in the error.
        a.sensitiveParams.addParams(sensitive, a.task.params());
        Map<String, Object> rendered = templates.renderParams(a.task.params(), a.type.factory(), templateContext);
        a.sensitiveParams.addParams(sensitive, rendered);
        return ParamsBinder.bind(rendered, a.type.factory().paramsType());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Step execute(Attempt a, EngineTaskContext ctx, Object params, LineLogger log) throws Exception {
        Operator operator = ((OperatorFactory) a.type.operatorFactory())
                .create(a.type.pluginContext(workDirectory, clock));
        OperatorResult result = operator.execute(params, ctx);
        if (a.isCancelled()) {
            log.error("Try cancelled: {}", a.reason());
            a.error = "Try cancelled: " + a.reason();
            return failed(a, log);
        }
        if (result instanceof OperatorResult.Skipped skipped) {
            log.info("Skipped: {}", skipped.reason());
            return finished(a, TaskState.SKIPPED, null, null);
        }
        Set<String> skip = DownstreamSkips.of(a.dag, a.claimed.taskId(), result);
        if (!skip.isEmpty()) {
            log.info("Skipping tasks {}", skip);
        }
        Object output = switch (result) {
            case OperatorResult.Success s -> s.output();
            case OperatorResult.Branch b -> b.output();
            case OperatorResult.SkipAllDownstream s -> s.output();
            case OperatorResult.Skipped s -> null;
        };
        return finished(a, TaskState.SUCCESS, returnValueJson(ctx, output), null, skip);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Step poke(Attempt a, EngineTaskContext ctx, Object params, SensorSettings settings, LineLogger log)
            throws Exception {
        SensorFactory factory = (SensorFactory) a.type.sensorFactory();
        Sensor sensor = factory.create(a.type.pluginContext(workDirectory, clock));
        countPoke(a, settings.mode()); // before watching again, which starts a new wait
        watch(a, factory, params, ctx, settings, log);
        PokeResult result;
        try {
            result = sensor.poke(params, ctx);
        } catch (TaskSkipException | CancellationException e) {
            throw e;
        } catch (Exception e) {
            // soft_fail: a poke that fails does not fail the run. A failure that is final (TaskFailException) skips
            // at once; any other error still gets the task's retries, so a passing fault is retried, not skipped.
            boolean forGood = e instanceof TaskFailException || a.claimed.tryNumber() > a.claimed.maxTries();
            if (!settings.softFail() || !forGood || a.isCancelled()) {
                throw e;
            }
            log.error("Sensor failed: {}", e.toString(), e);
            a.error = describe(e);
            return softFailed(a, log);
        }
        a.pokeCount++;
        if (a.isCancelled()) {
            // Cancelled while it poked (a stop, a timeout, a clear): it ends now, whatever the answer, as an
            // operator's try does. Waiting again would leave it to a pass, and a stopping worker runs none.
            log.error("Try cancelled: {}", a.reason());
            a.error = "Try cancelled: " + a.reason();
            return failed(a, log);
        }
        Instant now = clock.instant();
        if (result instanceof PokeResult.Ready ready) {
            log.info("Condition met after {} poke(s)", a.pokeCount);
            return finished(a, TaskState.SUCCESS, returnValueJson(ctx, ready.output()), null);
        }
        if (result instanceof PokeResult.Failed failed) {
            log.error("Sensor failed: {}", failed.reason());
            a.error = "Sensor failed: " + failed.reason();
            return settings.softFail() ? softFailed(a, log) : finished(a, TaskState.FAILED, null, null);
        }
        PokeResult.NotYet notYet = (PokeResult.NotYet) result;
        Duration elapsed = Duration.between(a.firstPokeAt, now);
        if (elapsed.compareTo(settings.timeout()) > 0) {
            String message = "Sensor has timed out: " + elapsed.toSeconds() + " s since the first poke at "
                    + PyDates.isoformat(a.firstPokeAt) + ", timeout is " + settings.timeout().toSeconds() + " s";
            if (settings.softFail()) {
                log.warn("{}", message);
                return softFailed(a, log);
            }
            log.error("{}; failing without retry", message);
            a.error = message;
            return finished(a, TaskState.FAILED, null, null);
        }
        String key = !settings.exponentialBackoff() ? null // the jitter's seed, needed only for a backoff
                : a.claimed.dagId() + "#" + a.claimed.taskId() + "#" + PyDates.isoformat(a.firstPokeAt);
        Duration wait = SensorTiming.nextWait(settings, a.pokeCount, key, elapsed, notYet.askAgainAfter());
        Instant next = now.plus(wait);
        a.answer = "Not yet" + (notYet.reason() == null ? "" : " (" + notYet.reason() + ")");
        log.info("{}; next poke at {}", a.answer, PyDates.isoformat(next));
        if (settings.mode() == SensorMode.POKE) {
            return new PokeAgain(next);
        }
        return new Finished(new TryOutcome(a.claimed.id(), a.claimed.runPk(), a.claimed.tryNumber(),
                TaskState.UP_FOR_RESCHEDULE, a.startedAt, now, next, null, a.firstPokeAt, a.pokeCount,
                // No memo is no JSON to write back and to read at the next claim, as in finished(...).
                a.memo.isEmpty() ? null : Map.copyOf(a.memo), a.type.pluginName(), a.type.pluginVersion()));
    }

    /** Counts a poke and, for a re-poke (the sensor waited), what woke it: a file event in this process, or time. */
    private void countPoke(Attempt a, SensorMode mode) {
        boolean wokenByFile = files.takeWake(a.key());
        if (a.pokeCount > 0) {
            metrics.sensorWoken(wokenByFile ? EngineMetrics.WakeCause.FILE_EVENT : EngineMetrics.WakeCause.POLL);
        }
        metrics.sensorPoked(mode);
    }

    /** A sensor with soft_fail whose poke failed for good or timed out: skipped, as Airflow does. */
    private Step softFailed(Attempt a, LineLogger log) {
        log.warn("soft_fail is on, so the task is skipped");
        return finished(a, TaskState.SKIPPED, null, null);
    }

    /**
     * Before poking, asks the sensor type what files it waits for and has them watched: a matching event makes a
     * waiting try poke at once. Registered before the poke, so a file that appears during it is not missed.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void watch(Attempt a, SensorFactory factory, Object params, EngineTaskContext ctx,
                       SensorSettings settings, LineLogger log) {
        List<WatchedPath> watched;
        try {
            watched = factory.watchedPaths(params, ctx);
        } catch (RuntimeException e) {
            log.warn("The sensor type cannot say which files it waits for ({}); poking every {} s", e.toString(),
                    settings.pokeInterval().toSeconds());
            return;
        }
        if (watched == null || watched.isEmpty()) {
            return;
        }
        a.pokeNow = false;
        files.watch(a.key(), watched, settings.mode() == SensorMode.POKE ? () -> {
            a.pokeNow = true;
            wakeWorker.run();
        } : null);
    }

    /** A failed try: retried while tries remain, with the retry delay (doubling with exponential backoff). */
    private Finished failed(Attempt a, LineLogger log) {
        TaskSpec task = a.task;
        if (task != null && a.claimed.tryNumber() <= a.claimed.maxTries()) {
            Duration delay = retryDelay(task, a.claimed.tryNumber());
            Instant next = clock.instant().plus(delay);
            log.info("Try {} of {} failed; retrying at {}", a.claimed.tryNumber(), a.claimed.maxTries() + 1,
                    PyDates.isoformat(next));
            return finished(a, TaskState.UP_FOR_RETRY, null, next);
        }
        return finished(a, TaskState.FAILED, null, null);
    }

    static Duration retryDelay(TaskSpec task, int tryNumber) {
        Duration delay = task.retryDelay();
        if (task.retryExponentialBackoff()) {
            long factor = 1L << Math.min(30, Math.max(0, tryNumber - 1));
            delay = delay.multipliedBy(factor);
        }
        if (task.maxRetryDelay() != null && delay.compareTo(task.maxRetryDelay()) > 0) {
            delay = task.maxRetryDelay();
        }
        return delay;
    }

    /** A task's return value as its XCom {@code return_value}: an error fails the try, as one of its code would. */
    private static String returnValueJson(EngineTaskContext ctx, Object output) {
        return output == null ? null : ctx.xcoms().returnValueJson(output);
    }

    private Finished finished(Attempt a, TaskState state, String outputJson, Instant nextAttempt) {
        return finished(a, state, outputJson, nextAttempt, Set.of());
    }

    /** @param skipTasks the tasks of the run a branching success skips */
    private Finished finished(Attempt a, TaskState state, String outputJson, Instant nextAttempt,
                              Set<String> skipTasks) {
        String plugin = a.type == null ? null : a.type.pluginName();
        String version = a.type == null ? null : a.type.pluginVersion();
        CallbackRequest callback = CallbackRequests.forTry(a.task, a.claimed.id(), a.claimed.runPk(),
                a.claimed.dagId(), a.claimed.runId(), a.claimed.tryNumber(), state,
                a.error == null ? null : a.sensitiveParams.mask(a.secrets.mask(a.error)));
        return new Finished(new TryOutcome(a.claimed.id(), a.claimed.runPk(), a.claimed.tryNumber(), state,
                a.startedAt, clock.instant(), nextAttempt, outputJson, a.firstPokeAt, a.pokeCount,
                a.memo.isEmpty() ? null : Map.copyOf(a.memo), plugin, version, null, 0, skipTasks, callback));
    }
}
