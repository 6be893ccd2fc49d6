package dev.weft.spi.dag;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What operator and sensor tasks share in the DSL: dependencies and per-task settings. Settings left unset take the
 * DAG's {@link TaskDefaults}.
 *
 * @param <B> the concrete builder, so chained calls keep their type
 */
public abstract sealed class AbstractTaskBuilder<B extends AbstractTaskBuilder<B>> permits TaskBuilder, SensorBuilder {
    final DagBuilder dag;
    final String taskId;
    final String type;
    final Map<String, Object> params;
    final Set<AbstractTaskBuilder<?>> upstream = new LinkedHashSet<>();
    Integer retries;
    Duration retryDelay;
    Boolean retryExponentialBackoff;
    Duration maxRetryDelay;
    Duration executionTimeout;
    String pool;
    Integer poolSlots;
    TriggerRule triggerRule;
    Integer priorityWeight;
    final Map<Callbacks.Event, List<Callback>> callbacks = new EnumMap<>(Callbacks.Event.class);
    final Set<String> outlets = new LinkedHashSet<>();

    AbstractTaskBuilder(DagBuilder dag, String taskId, String type, Map<String, Object> params) {
        this.dag = dag;
        this.taskId = taskId;
        this.type = type;
        this.params = JsonValues.immutableCopy(params);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public String taskId() {
        return taskId;
    }

    /** Makes {@code next} depend on this task (Airflow's {@code this >> next}) and returns {@code next} for chaining. */
    public <T extends AbstractTaskBuilder<T>> T then(T next) {
        next.upstream.add(this);
        return next;
    }

    /** Makes every one of {@code next} depend on this task (fan-out). */
    public void then(AbstractTaskBuilder<?>... next) {
        for (AbstractTaskBuilder<?> n : next) {
            n.upstream.add(this);
        }
    }

    /** Makes this task depend on every one of {@code upstreamTasks} (fan-in). */
    public B after(AbstractTaskBuilder<?>... upstreamTasks) {
        for (AbstractTaskBuilder<?> u : upstreamTasks) {
            upstream.add(u);
        }
        return self();
    }

    public B retries(int retries) {
        this.retries = retries;
        return self();
    }

    public B retryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
        return self();
    }

    public B retryExponentialBackoff(boolean on) {
        this.retryExponentialBackoff = on;
        return self();
    }

    public B maxRetryDelay(Duration maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
        return self();
    }

    public B executionTimeout(Duration executionTimeout) {
        this.executionTimeout = executionTimeout;
        return self();
    }

    public B pool(String pool) {
        this.pool = pool;
        return self();
    }

    public B poolSlots(int poolSlots) {
        this.poolSlots = poolSlots;
        return self();
    }

    public B triggerRule(TriggerRule triggerRule) {
        this.triggerRule = triggerRule;
        return self();
    }

    /** The task's own priority weight (default 1); the engine adds the weights of all its downstream tasks. */
    public B priorityWeight(int priorityWeight) {
        this.priorityWeight = priorityWeight;
        return self();
    }

    /** Airflow's {@code on_failure_callback}: runs when a try fails and is not retried. */
    public B onFailureCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_FAILURE_CALLBACK, List.of(callbacks));
        return self();
    }

    /** Airflow's {@code on_retry_callback}: runs when a try fails and will be retried. */
    public B onRetryCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_RETRY_CALLBACK, List.of(callbacks));
        return self();
    }

    /** Airflow's {@code on_success_callback}: runs when the task succeeds. */
    public B onSuccessCallback(Callback... callbacks) {
        this.callbacks.put(Callbacks.Event.ON_SUCCESS_CALLBACK, List.of(callbacks));
        return self();
    }

    /** Datasets a successful try updates (Airflow's {@code outlets}): each gets an event, which may start DAGs. */
    public B outlets(String... datasetUris) {
        outlets.addAll(java.util.List.of(datasetUris));
        return self();
    }

    abstract SensorSettings sensorSettings();

    TaskSpec toSpec(TaskDefaults d) {
        return new TaskSpec(taskId, type, params,
                upstream.stream().map(u -> u.taskId).sorted().toList(),
                triggerRule != null ? triggerRule : d.triggerRule,
                retries != null ? retries : d.retries,
                retryDelay != null ? retryDelay : d.retryDelay,
                retryExponentialBackoff != null ? retryExponentialBackoff : d.retryExponentialBackoff,
                maxRetryDelay != null ? maxRetryDelay : d.maxRetryDelay,
                executionTimeout != null ? executionTimeout : d.executionTimeout,
                pool != null ? pool : d.pool,
                poolSlots != null ? poolSlots : 1,
                priorityWeight != null ? priorityWeight : 1,
                sensorSettings(), d.callbacks(callbacks), java.util.List.copyOf(outlets));
    }
}
