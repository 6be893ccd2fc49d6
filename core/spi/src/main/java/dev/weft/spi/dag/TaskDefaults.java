package dev.weft.spi.dag;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Default task arguments of a DAG (Airflow's {@code default_args}): each task takes these unless it sets its own.
 * Set through {@link DagBuilder#defaultArgs}.
 */
public final class TaskDefaults {
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(5);
    public static final String DEFAULT_POOL = "default_pool";

    int retries = 0;
    Duration retryDelay = DEFAULT_RETRY_DELAY;
    boolean retryExponentialBackoff = false;
    Duration maxRetryDelay;
    Duration executionTimeout;
    String pool = DEFAULT_POOL;
    TriggerRule triggerRule = TriggerRule.ALL_SUCCESS;
    private final Map<Callbacks.Event, List<Callback>> callbacks = new EnumMap<>(Callbacks.Event.class);

    TaskDefaults() {
    }

    public TaskDefaults retries(int retries) {
        this.retries = retries;
        return this;
    }

    public TaskDefaults retryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
        return this;
    }

    public TaskDefaults retryExponentialBackoff(boolean on) {
        this.retryExponentialBackoff = on;
        return this;
    }

    public TaskDefaults maxRetryDelay(Duration maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
        return this;
    }

    public TaskDefaults executionTimeout(Duration executionTimeout) {
        this.executionTimeout = executionTimeout;
        return this;
    }

    public TaskDefaults pool(String pool) {
        this.pool = pool;
        return this;
    }

    public TaskDefaults triggerRule(TriggerRule triggerRule) {
        this.triggerRule = triggerRule;
        return this;
    }

    /** Every task's {@code on_failure_callback}, unless the task sets its own. */
    public TaskDefaults onFailureCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_FAILURE_CALLBACK, List.of(callbacks));
        return this;
    }

    /** Every task's {@code on_retry_callback}, unless the task sets its own. */
    public TaskDefaults onRetryCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_RETRY_CALLBACK, List.of(callbacks));
        return this;
    }

    /** Every task's {@code on_success_callback}, unless the task sets its own. */
    public TaskDefaults onSuccessCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_SUCCESS_CALLBACK, List.of(callbacks));
        return this;
    }

    /** A task's callbacks: those it sets, event by event, and these defaults for the others. */
    Callbacks callbacks(Map<Callbacks.Event, List<Callback>> own) {
        Callbacks result = Callbacks.NONE;
        for (Callbacks.Event event : Callbacks.Event.values()) {
            List<Callback> chosen = own.containsKey(event) ? own.get(event) : callbacks.get(event);
            if (chosen != null) {
                result = result.with(event, chosen);
            }
        }
        return result;
    }
}
