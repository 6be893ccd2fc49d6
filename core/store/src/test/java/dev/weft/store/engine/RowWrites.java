package dev.weft.store.engine;

import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the rows written (inserted, updated, deleted) per table of a test database, exactly and at once: a row
 * trigger on every table adds to a counter table. The statistics views count the same but publish late.
 */
final class RowWrites {
    private final Jdbi jdbi;
    private final Map<String, Long> before;

    private RowWrites(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.before = counts();
    }

    /** Installs the triggers (the worker table is left out: its heartbeats are per worker, not per task). */
    static RowWrites install(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE IF NOT EXISTS row_writes (tbl TEXT PRIMARY KEY, n BIGINT NOT NULL)");
            h.execute("""
                    CREATE OR REPLACE FUNCTION count_row_write() RETURNS trigger AS $$
                    BEGIN
                        INSERT INTO row_writes VALUES (TG_TABLE_NAME, 1)
                        ON CONFLICT (tbl) DO UPDATE SET n = row_writes.n + 1;
                        RETURN NULL;
                    END $$ LANGUAGE plpgsql""");
            List<String> tables = h.createQuery("""
                    SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                      AND tablename NOT IN ('row_writes', 'worker') AND tablename NOT LIKE 'databasechangelog%'""")
                    .mapTo(String.class).list();
            for (String table : tables) {
                h.execute("CREATE OR REPLACE TRIGGER count_row_writes AFTER INSERT OR UPDATE OR DELETE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION count_row_write()");
            }
        });
        return new RowWrites(jdbi);
    }

    /** Rows written per table since this was installed; tables without any are left out. */
    Map<String, Long> since() {
        Map<String, Long> delta = new LinkedHashMap<>();
        counts().forEach((table, n) -> {
            long d = n - before.getOrDefault(table, 0L);
            if (d != 0) {
                delta.put(table, d);
            }
        });
        return delta;
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT tbl, n FROM row_writes ORDER BY tbl")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }
}
