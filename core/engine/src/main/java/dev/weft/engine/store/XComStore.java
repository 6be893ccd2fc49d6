package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's XComs as stored: those a try pushed under a key, and a task instance's output as its
 * {@code return_value}. Both are the running or latest try's: a claim deletes its task instance's (see the claims
 * of {@link TaskInstanceStore}).
 */
public interface XComStore {
    /** The key of a task's return value. */
    String RETURN_VALUE = "return_value";

    /** An XCom; {@code valueJson} is null where it was not read (lists). */
    record Entry(String dagId, String runId, String taskId, Instant logicalDate, String key, Instant timestamp,
                 String valueJson) {
    }

    /** Which XComs to list: a null id is any (the API's {@code ~}), a null key any key. */
    record Filter(String dagId, String runId, String taskId, String key) {
    }

    /**
     * Creates or replaces the XCom of a try, if that try is still the task instance's running one.
     *
     * @return false when the try is no longer running (it was failed, cleared, or retried in the meantime)
     */
    boolean push(long tiId, int tryNumber, String key, String valueJson, Instant now);

    /** The value's JSON of the task's XCom in a run. */
    Optional<String> pull(long runPk, String taskId, String key);

    /** Ordered by logical date, DAG, task and key; with their values when asked ({@code values}). */
    List<Entry> list(Filter filter, boolean values, int limit, int offset);

    long count(Filter filter);

    /** The XCom with its value. */
    Optional<Entry> find(String dagId, String runId, String taskId, String key);
}
