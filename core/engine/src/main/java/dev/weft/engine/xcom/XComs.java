package dev.weft.engine.xcom;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.engine.json.Json;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.XComStore;
import dev.weft.engine.template.PyRepr;
import dev.weft.engine.template.XComSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's XComs: values a task's code pushes under a key, and its return value ({@value XComStore#RETURN_VALUE}),
 * read by the tasks of the same run. Values are JSON, at most {@code maxBytes} bytes each (the server's
 * {@code xcomMaxBytes}): the database is no place for data, only for what finds it.
 */
public final class XComs {
    /** The default size limit of a value: 48 KiB of JSON. */
    public static final int DEFAULT_MAX_BYTES = 48 * 1024;
    /** Airflow's limit on a key ({@code ID_LEN}). */
    public static final int MAX_KEY_LENGTH = 250;

    private final XComStore store;
    private final int maxBytes;
    private final Clock clock;

    public XComs(XComStore store, int maxBytes, Clock clock) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("xcomMaxBytes must be positive, got " + maxBytes);
        }
        this.store = store;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** A page of XComs without their values, and how many there are. */
    public record Page(List<XComStore.Entry> entries, long total) {
    }

    public Page list(XComStore.Filter filter, int limit, int offset) {
        return new Page(store.list(filter, false, limit, offset), store.count(filter));
    }

    /** The XComs of a task instance with their values (at most {@code limit}), by key. */
    public List<XComStore.Entry> ofTaskInstance(String dagId, String runId, String taskId, int limit) {
        return store.list(new XComStore.Filter(dagId, runId, taskId, null), true, limit, 0);
    }

    /** The XCom with its value's JSON. */
    public Optional<XComStore.Entry> find(String dagId, String runId, String taskId, String key) {
        return store.find(dagId, runId, taskId, key);
    }

    /**
     * Python's {@code str()} of a value, as Airflow's API shows an XCom's value by default: text as it is, anything
     * else as its {@code repr()}.
     */
    public static String str(Object value) {
        return value instanceof String text ? text : PyRepr.repr(value);
    }

    /** The XComs of one run, read-only (a template rendered outside a try: the web UI's task panel). */
    public XComSource reader(long runPk) {
        return (taskId, key) -> store.pull(runPk, taskId, key).map(XComs::parse);
    }

    /** What one try pushes and pulls. */
    public TryXComs forTry(ClaimedTry claimed) {
        return new TryXComs(this, claimed);
    }

    /**
     * The JSON of a task's return value, within the size limit.
     *
     * @throws IllegalArgumentException when it is larger than the limit or cannot be written as JSON
     */
    String returnValueJson(String taskId, Object value) {
        return json(taskId, XComStore.RETURN_VALUE, value);
    }

    void push(ClaimedTry claimed, String key, Object value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("An XCom needs a key (a name such as 'row_count')");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("XCom key '" + key.substring(0, 20) + "...' has " + key.length()
                    + " characters; at most " + MAX_KEY_LENGTH + " are allowed");
        }
        if (XComStore.RETURN_VALUE.equals(key)) {
            throw new IllegalArgumentException("'" + XComStore.RETURN_VALUE + "' is the key of the task's return"
                    + " value: return the value from the task instead of pushing it");
        }
        if (value == null) {
            throw new IllegalArgumentException("XCom '" + key + "' needs a value (null is no value)");
        }
        if (!store.push(claimed.id(), claimed.tryNumber(), key, json(claimed.taskId(), key, value),
                clock.instant())) {
            throw new IllegalStateException("XCom '" + key + "' was not pushed: try " + claimed.tryNumber()
                    + " of task '" + claimed.taskId() + "' is no longer running");
        }
    }

    Optional<Object> pull(long runPk, String taskId, String key) {
        return store.pull(runPk, taskId, key).map(XComs::parse);
    }

    private String json(String taskId, String key, Object value) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("XCom '" + key + "' of task '" + taskId + "' cannot be written as"
                    + " JSON (" + e.getOriginalMessage() + "): push text, numbers, booleans, lists and maps");
        }
        int size = json.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new IllegalArgumentException("XCom '" + key + "' of task '" + taskId + "' is " + size
                    + " bytes of JSON; the limit is " + maxBytes + " bytes (xcomMaxBytes in the server's"
                    + " configuration). Store large data elsewhere (a file, a table, an object store) and pass its"
                    + " location");
        }
        return json;
    }

    /** A stored value's JSON as Java reads it ({@code String}, {@code Long}, {@code Double}, {@code List}, {@code Map}...). */
    public static Object parse(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An XCom in the database is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
