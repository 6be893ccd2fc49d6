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

    /**
     * An XCom; {@code valueJson} and {@code secrets} are null where the value was not read (lists).
     *
     * @param secrets the secrets the value contains, encrypted (see {@link Stored}); null when none
     */
    record Entry(String dagId, String runId, String taskId, Instant logicalDate, String key, Instant timestamp,
                 String valueJson, String secrets) {
    }

    /**
     * A value as stored: its JSON, and the secrets its try had read that it contains, as one encrypted JSON list
     * (null when none), so that it can be shown masked while tasks read it as it is.
     */
    record Stored(String valueJson, String secrets) {
    }

    /** A value's encrypted secrets and whose: a pushed XCom's, or a return value's ({@link #RETURN_VALUE}). */
    record SealedSecrets(long tiId, String key, String secrets) {
    }

    /** Which XComs to list: a null id is any (the API's {@code ~}), a null key any key. */
    record Filter(String dagId, String runId, String taskId, String key) {
    }

    /**
     * Creates or replaces the XCom of a try, if that try is still the task instance's running one.
     *
     * @param secrets see {@link Stored}
     * @return false when the try is no longer running (it was failed, cleared, or retried in the meantime)
     */
    boolean push(long tiId, int tryNumber, String key, String valueJson, String secrets, Instant now);

    /**
     * Records the secrets a try's return value contains (see {@link Stored}), if that try is still running: before
     * its outcome writes the value, so that the value is never there without them.
     */
    void recordReturnValueSecrets(long tiId, int tryNumber, String secrets);

    /** The task's XCom in a run. */
    Optional<Stored> pull(long runPk, String taskId, String key);

    /** Ordered by logical date, DAG, task and key; with their values when asked ({@code values}). */
    List<Entry> list(Filter filter, boolean values, int limit, int offset);

    long count(Filter filter);

    /** The XCom with its value. */
    Optional<Entry> find(String dagId, String runId, String taskId, String key);

    /** Every stored value's encrypted secrets (to encrypt them again with a new key). */
    List<SealedSecrets> allSecrets();

    /**
     * Replaces a value's encrypted secrets, if they are still {@code old.secrets()} (a try may have written new ones
     * meanwhile).
     */
    void replaceSecrets(SealedSecrets old, String secrets);
}
