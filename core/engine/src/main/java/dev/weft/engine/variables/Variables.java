package dev.weft.engine.variables;

import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.secrets.SensitiveNames;
import dev.weft.engine.store.VariableStore;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's Variables: values encrypted on the way into the store and decrypted on the way out, and the decision
 * which values are secret (their key looks sensitive, see {@link SensitiveNames}) and so shown only as
 * {@value SecretMasker#MASK}.
 */
public final class Variables {
    /** Airflow's limit on a variable's key ({@code ID_LEN}). */
    public static final int MAX_KEY_LENGTH = 250;

    /** A variable; {@code value} is null where it was not read (lists). */
    public record Variable(String key, String value, String description) {
    }

    private final VariableStore store;
    private final SecretCipher cipher;
    private final SensitiveNames sensitive;
    private final Clock clock;

    public Variables(VariableStore store, SecretCipher cipher, SensitiveNames sensitive, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.sensitive = sensitive;
        this.clock = clock;
    }

    /** A page of variables without their values, and how many there are. */
    public record Page(List<Variable> variables, long total) {
    }

    public Page list(boolean byCreation, boolean descending, int limit, int offset) {
        List<Variable> page = store.list(byCreation, descending, limit, offset).stream()
                .map(v -> new Variable(v.key(), null, v.description())).toList();
        return new Page(page, store.count());
    }

    /** The variable with its value decrypted. */
    public Optional<Variable> find(String key) {
        return store.find(key).map(v -> new Variable(v.key(),
                cipher.decrypt(v.encryptedValue(), "variable '" + key + "'"), v.description()));
    }

    /**
     * Creates or replaces a variable.
     *
     * @throws IllegalArgumentException when the key is blank or too long, or the value is null
     */
    public void set(String key, String value, String description) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("A variable needs a key (a name such as 'region')");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Variable key '" + key.substring(0, 20) + "...' has " + key.length()
                    + " characters; at most " + MAX_KEY_LENGTH + " are allowed");
        }
        if (value == null) {
            throw new IllegalArgumentException("Variable '" + key + "' needs a value (an empty string is one)");
        }
        store.upsert(key, cipher.encrypt(value), description, clock.instant());
    }

    /**
     * Creates or replaces a variable from what a person saw and edited: {@value SecretMasker#MASK} as the value of a
     * sensitive key stands for the stored value and keeps it (so a read, edit, write round trip does not overwrite a
     * secret with its mask).
     *
     * @throws IllegalArgumentException as {@link #set}, and when the mask is sent for a key that has no value yet
     */
    public void setShown(String key, String value, String description) {
        String stored = value;
        if (SecretMasker.MASK.equals(value) && isSensitive(key)) {
            stored = find(key).map(Variable::value).orElseThrow(() -> new IllegalArgumentException("'"
                    + SecretMasker.MASK + "' stands for a sensitive value that is kept as it is, but variable '" + key
                    + "' has no value yet: send the real value"));
        }
        set(key, stored, description);
    }

    public boolean delete(String key) {
        return store.delete(key);
    }

    /** Whether the key names a secret, so its value is shown masked. */
    public boolean isSensitive(String key) {
        return sensitive.isSensitive(key);
    }

    /** The value as a response or the UI may show it: {@value SecretMasker#MASK} for a sensitive key. */
    public String shown(Variable variable) {
        return isSensitive(variable.key()) && variable.value() != null ? SecretMasker.MASK : variable.value();
    }

    /**
     * Encrypts every stored value again with the current key (it may have been written with a previous one, see
     * {@code previousSecretKeys}).
     *
     * @return how many variables were rewritten
     */
    public int reencryptAll() {
        int rewritten = 0;
        for (VariableStore.StoredVariable v : store.list(true, false, Integer.MAX_VALUE, 0)) {
            String value = cipher.decrypt(v.encryptedValue(), "variable '" + v.key() + "'");
            store.upsert(v.key(), cipher.encrypt(value), v.description(), clock.instant());
            rewritten++;
        }
        return rewritten;
    }

    /** What one try (or one rendering) reads: each sensitive value it reads goes into {@code masker}. */
    public TryVariables reader(SecretMasker masker) {
        return new TryVariables(this, masker);
    }
}
