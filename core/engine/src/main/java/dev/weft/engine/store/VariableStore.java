package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Airflow's Variables as stored: every value encrypted ({@code v1:...}, see the engine's {@code SecretCipher}). */
public interface VariableStore {
    record StoredVariable(String key, String encryptedValue, String description, Instant createdAt,
                          Instant updatedAt) {
    }

    /** Sorted by key, or by creation ({@code byCreation}, Airflow's order by id); descending when asked. */
    List<StoredVariable> list(boolean byCreation, boolean descending, int limit, int offset);

    long count();

    Optional<StoredVariable> find(String key);

    /** Creates the variable or replaces its value and description; the creation time stays. */
    void upsert(String key, String encryptedValue, String description, Instant now);

    boolean delete(String key);
}
