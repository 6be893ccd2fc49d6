package dev.weft.spi.dag;

import java.time.Duration;

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
}
