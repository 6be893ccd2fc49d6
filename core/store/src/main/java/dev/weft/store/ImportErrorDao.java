package dev.weft.store;

import dev.weft.engine.store.ImportErrorStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The {@code import_error} table (Airflow's): one row per source that failed to load, its problems in stack_trace. */
public interface ImportErrorDao extends ImportErrorStore {

    @Override
    @Transaction
    default void replace(String filename, String message, Instant at) {
        String current = current(filename);
        if (message != null && message.equals(current)) {
            return; // unchanged: keep its id and timestamp
        }
        delete(filename);
        if (message != null) {
            insert(filename, message, at);
        }
    }

    @SqlQuery("SELECT stack_trace FROM import_error WHERE filename = :filename ORDER BY id LIMIT 1")
    String current(@Bind("filename") String filename);

    @SqlUpdate("DELETE FROM import_error WHERE filename = :filename")
    void delete(@Bind("filename") String filename);

    @SqlUpdate("INSERT INTO import_error (filename, stack_trace, created_at) VALUES (:filename, :message, :at)")
    void insert(@Bind("filename") String filename, @Bind("message") String message, @Bind("at") Instant at);

    @Override
    default void retainOnly(String prefix, Collection<String> filenames) {
        retainOnly(prefix, filenames.toArray(String[]::new));
    }

    @SqlUpdate("DELETE FROM import_error WHERE starts_with(filename, :prefix) AND filename <> ALL(:keep)")
    void retainOnly(@Bind("prefix") String prefix, @Bind("keep") String[] keep);

    @Override
    @SqlQuery("SELECT id, filename, stack_trace AS message, created_at AS timestamp FROM import_error ORDER BY filename, id")
    List<ImportErrorRecord> list();
}
