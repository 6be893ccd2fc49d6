package dev.weft.testkit;

import dev.weft.engine.log.LineLogger;
import dev.weft.spi.CallbackContext;
import dev.weft.spi.RunType;
import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link CallbackContext} for testing notifiers and callback methods: a task's try that failed, or any other event,
 * with a logger whose lines {@link #logLines()} returns.
 *
 * <pre>{@code
 * var ctx = TestCallbackContext.taskFailed("sales", "load", 2, "java.io.IOException: disk full");
 * new WebhookNotifierFactory().create(pluginContext).notify(params, ctx);
 * }</pre>
 */
public final class TestCallbackContext implements CallbackContext {
    private final String event;
    private final String dagId;
    private final String taskId;
    private final int tryNumber;
    private final String state;
    private final String exception;
    private final Map<String, Object> conf;
    private final ManualClock clock = new ManualClock(TestTaskContext.DEFAULT_LOGICAL_DATE);
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final Logger log;

    /**
     * @param taskId    null for a run's callback
     * @param exception the error or the run's reason, null for none
     */
    public TestCallbackContext(String event, String dagId, String taskId, int tryNumber, String state,
                               String exception, Map<String, Object> conf) {
        this.event = event;
        this.dagId = dagId;
        this.taskId = taskId;
        this.tryNumber = tryNumber;
        this.state = state;
        this.exception = exception;
        this.conf = Map.copyOf(conf);
        this.log = new LineLogger(dagId + "." + event, Level.INFO, logLines::add);
    }

    /** The failure callback of a task's try that failed for good with {@code exception}. */
    public static TestCallbackContext taskFailed(String dagId, String taskId, int tryNumber, String exception) {
        return new TestCallbackContext("on_failure_callback", dagId, taskId, tryNumber, "failed", exception, Map.of());
    }

    public List<String> logLines() {
        synchronized (logLines) {
            return List.copyOf(logLines);
        }
    }

    @Override
    public String event() {
        return event;
    }

    @Override
    public String dagId() {
        return dagId;
    }

    @Override
    public String runId() {
        return "manual__" + TestTaskContext.DEFAULT_LOGICAL_DATE;
    }

    @Override
    public RunType runType() {
        return RunType.MANUAL;
    }

    @Override
    public Instant logicalDate() {
        return TestTaskContext.DEFAULT_LOGICAL_DATE;
    }

    @Override
    public Map<String, Object> conf() {
        return conf;
    }

    @Override
    public Optional<String> taskId() {
        return Optional.ofNullable(taskId);
    }

    @Override
    public int tryNumber() {
        return tryNumber;
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public Optional<String> exception() {
        return Optional.ofNullable(exception);
    }

    @Override
    public Logger log() {
        return log;
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
