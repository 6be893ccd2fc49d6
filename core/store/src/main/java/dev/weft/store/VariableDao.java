package dev.weft.store;

import dev.weft.engine.store.VariableStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
public interface VariableDao extends VariableStore {
    String COLUMNS = "key, encrypted_value, description, created_at, updated_at";

    @Override
    default List<StoredVariable> list(boolean byCreation, boolean descending, int limit, int offset) {
        String direction = descending ? "DESC" : "ASC";
        return page(byCreation ? "created_at " + direction + ", key " + direction : "key " + direction, limit,
                offset);
    }

    // <order> is one of the two fixed orders above, never user text.
    @SqlQuery("SELECT " + COLUMNS + " FROM variable ORDER BY <order> LIMIT :limit OFFSET :offset")
    List<StoredVariable> page(@Define("order") String order, @Bind("limit") int limit, @Bind("offset") int offset);

    @Override
    @SqlQuery("SELECT count(*) FROM variable")
    long count();

    @Override
    @SqlQuery("SELECT " + COLUMNS + " FROM variable WHERE key = :key")
    Optional<StoredVariable> find(@Bind("key") String key);

    @Override
    @SqlUpdate("""
            INSERT INTO variable (key, encrypted_value, description, created_at, updated_at)
            VALUES (:key, :value, :description, :now, :now)
            ON CONFLICT (key) DO UPDATE SET encrypted_value = EXCLUDED.encrypted_value,
                description = EXCLUDED.description, updated_at = EXCLUDED.updated_at""")
    void upsert(@Bind("key") String key, @Bind("value") String encryptedValue,
                @Bind("description") String description, @Bind("now") Instant now);

    @Override
    @SqlUpdate("DELETE FROM variable WHERE key = :key")
    boolean delete(@Bind("key") String key);
}
