package dev.weft.engine.xcom;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.engine.json.Json;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.XComStore;
import dev.weft.engine.template.PyRepr;
import dev.weft.engine.template.XComSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Airflow's XComs: values a task's code pushes under a key, and its return value ({@value XComStore#RETURN_VALUE}),
 * read by the tasks of the same run. Values are JSON, at most {@code maxBytes} bytes each (the server's
 * {@code xcomMaxBytes}): the database is no place for data, only for what finds it.
 *
 * <p>A value keeps the secrets its try had read (sensitive variables, connections' secrets) as it was returned: a task
 * may hand a token on. It remembers which of them it contains, encrypted, so that it is never shown with them: every
 * place that shows a value shows {@link #shown}, and a task or template that pulls it adds them to its own
 * {@link SecretMasker}, so its log, its rendered params and its own XComs mask them in turn.
 */
public final class XComs {
    /** The default size limit of a value: 48 KiB of JSON. */
    public static final int DEFAULT_MAX_BYTES = 48 * 1024;
    /** Airflow's limit on a key ({@code ID_LEN}). */
    public static final int MAX_KEY_LENGTH = 250;

    private final XComStore store;
    private final SecretCipher cipher;
    private final int maxBytes;
    private final Clock clock;

    public XComs(XComStore store, SecretCipher cipher, int maxBytes, Clock clock) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("xcomMaxBytes must be positive, got " + maxBytes);
        }
        this.store = store;
        this.cipher = cipher;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** A page of XComs without their values, and how many there are. */
    public record Page(List<XComStore.Entry> entries, long total) {
    }

    public Page list(XComStore.Filter filter, int limit, int offset) {
        return new Page(store.list(filter, false, limit, offset), store.count(filter));
    }

    /** The XComs of a task instance with their values (at most {@code limit}), by key; shown with {@link #shown}. */
    public List<XComStore.Entry> ofTaskInstance(String dagId, String runId, String taskId, int limit) {
        return store.list(new XComStore.Filter(dagId, runId, taskId, null), true, limit, 0);
    }

    /** The XCom with its value's JSON; show it with {@link #shown}. */
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

    /**
     * An XCom's value (read with its value) as the API, the CLI and the UI may show it: the secrets its try had read
     * replaced by {@value SecretMasker#MASK}.
     *
     * @throws SecretCipher.SecretDecryptionException when its secrets were encrypted with another key
     */
    public Object shown(XComStore.Entry entry) {
        SecretMasker masker = new SecretMasker();
        learnSecrets(entry.secrets(), entry.taskId(), masker);
        return masker.mask(parse(entry.valueJson()));
    }

    /**
     * The XComs of one run, read-only, for a template rendered outside a try (the web UI's task panel): the secrets
     * of what it pulls go into {@code masker}, as a try's do.
     */
    public XComSource reader(long runPk, SecretMasker masker) {
        return (taskId, key) -> pull(runPk, taskId, key, masker);
    }

    /** What one try pushes and pulls; {@code masker} holds the secrets the try has read, and learns those it pulls. */
    public TryXComs forTry(ClaimedTry claimed, SecretMasker masker) {
        return new TryXComs(this, claimed, masker);
    }

    /**
     * The JSON of a try's return value, within the size limit. The secrets of the try it contains are recorded first.
     *
     * @throws IllegalArgumentException when it is larger than the limit or cannot be written as JSON
     */
    String returnValueJson(ClaimedTry claimed, Object value, SecretMasker masker) {
        String json = json(claimed.taskId(), XComStore.RETURN_VALUE, value);
        String secrets = sealedSecrets(json, masker);
        if (secrets != null) {
            store.recordReturnValueSecrets(claimed.id(), claimed.tryNumber(), secrets);
        }
        return json;
    }

    void push(ClaimedTry claimed, String key, Object value, SecretMasker masker) {
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
        String json = json(claimed.taskId(), key, value);
        if (!store.push(claimed.id(), claimed.tryNumber(), key, json, sealedSecrets(json, masker), clock.instant())) {
            throw new IllegalStateException("XCom '" + key + "' was not pushed: try " + claimed.tryNumber()
                    + " of task '" + claimed.taskId() + "' is no longer running");
        }
    }

    Optional<Object> pull(long runPk, String taskId, String key, SecretMasker masker) {
        return store.pull(runPk, taskId, key).map(stored -> {
            learnSecrets(stored.secrets(), taskId, masker);
            return parse(stored.valueJson());
        });
    }

    /**
     * Encrypts the try's secrets that occur in a value, as one JSON list; null when none does. Read from the JSON,
     * not from the Java value: what is stored, and later shown, is the JSON (an object's fields included).
     */
    private String sealedSecrets(String json, SecretMasker masker) {
        if (masker.isEmpty()) {
            return null;
        }
        Set<String> found = masker.secretsIn(parse(json));
        return found.isEmpty() ? null : cipher.encrypt(Json.write(found));
    }

    /** Adds a value's secrets (see {@link XComStore.Stored}) to {@code masker}. */
    private void learnSecrets(String secrets, String taskId, SecretMasker masker) {
        if (secrets == null) {
            return;
        }
        for (String secret : Json.read(cipher.decrypt(secrets, "the secrets of an XCom of task '" + taskId + "'"),
                String[].class)) {
            masker.add(secret);
        }
    }

    /** Encrypts every stored value's secrets again with the current key; returns how many values it rewrote. */
    public int reencryptAll() {
        int rewritten = 0;
        for (XComStore.SealedSecrets sealed : store.allSecrets()) {
            String what = "the secrets of XCom '" + sealed.key() + "' of task instance #" + sealed.tiId();
            store.replaceSecrets(sealed, cipher.encrypt(cipher.decrypt(sealed.secrets(), what)));
            rewritten++;
        }
        return rewritten;
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
