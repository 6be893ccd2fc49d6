package dev.weft.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The current import errors, one per DAG source (a DAG file, a bundle jar, the bundled examples): what the API's
 * {@code GET /importErrors}, the CLI and the UI banner show. A source that loads cleanly has none.
 */
public interface ImportErrorStore {
    /** An import error of one source; {@code message} holds every problem found, one per line. */
    record ImportErrorRecord(long id, String filename, String message, Instant timestamp) {
    }

    /** Replaces the errors of {@code filename} (none when {@code message} is null). */
    void replace(String filename, String message, Instant at);

    /** Forgets the errors of every source not in {@code filenames} whose name starts with {@code prefix}. */
    void retainOnly(String prefix, Collection<String> filenames);

    List<ImportErrorRecord> list();
}
