package dev.weft.spi.dag;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One task of a {@link DagSpec}, with every default resolved. Built by {@link DagBuilder} or read from a DAG file.
 *
 * @param taskId                  unique within the DAG
 * @param type                    the operator or sensor type id, e.g. {@code standard.shell}
 * @param params                  the operator's parameters as JSON-like values (templates not yet rendered)
 * @param upstream                ids of the tasks this one depends on, sorted
 * @param triggerRule             when the task may run given its upstream states
 * @param retries                 how many times a failed try is retried
 * @param retryDelay              the wait before a retry
 * @param retryExponentialBackoff double the wait before each further retry
 * @param maxRetryDelay           the longest wait between retries; {@code null} for no cap
 * @param executionTimeout        the longest a single try may run; {@code null} for no limit
 * @param pool                    the pool whose slots the task uses
 * @param poolSlots               how many slots of the pool one try uses
 * @param priorityWeight          the task's own weight; the engine adds the weights of all downstream tasks
 * @param sensor                  sensor settings, or {@code null} when the type is an operator
 * @param callbacks               what runs when a try succeeds, fails for good or fails to be retried
 * @param outlets                 URIs of the datasets a successful try updates (one dataset event each), sorted
 */
public record TaskSpec(String taskId, String type, Map<String, Object> params, List<String> upstream,
                       TriggerRule triggerRule, int retries, Duration retryDelay, boolean retryExponentialBackoff,
                       Duration maxRetryDelay, Duration executionTimeout, String pool, int poolSlots,
                       int priorityWeight, SensorSettings sensor, Callbacks callbacks, List<String> outlets) {

    public TaskSpec {
        callbacks = callbacks == null ? Callbacks.NONE : callbacks;
        params = params == null ? Map.of() : JsonValues.immutableCopy(params);
        upstream = upstream == null ? List.of() : List.copyOf(upstream);
        outlets = outlets == null ? List.of() : outlets.stream().distinct().sorted().toList();
    }

    public boolean isSensor() {
        return sensor != null;
    }
}
