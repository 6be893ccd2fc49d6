package dev.weft.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Counts the rows written (inserted, updated, deleted) to given tables exactly: a statement trigger on each appends
 * its statement's row count to an unlogged table, which a read sees as of its snapshot, in the same statement as the
 * sensors' pokes and tries in flight. PostgreSQL's statistics views count the same rows, but publish a backend's
 * counts up to a second late (ten when it is idle): that moved a window's rows per re-poke by about 1 % either side
 * of the two a re-poke writes.
 */
final class RowCounter {
    private RowCounter() {
    }

    /** The rows written, the pokes counted and the tries in flight of a DAG, as of one snapshot. */
    record Count(long rows, long pokes, long inFlight) {
        /**
         * Rows per poke between two counts. A try claimed but not yet written back has its claim's row counted and not
         * yet its poke: the tries in flight at either end are taken out, so that each poke counts the rows of a whole
         * re-poke, claim and write-back.
         */
        double rowsPerPokeSince(Count before) {
            long pokes = this.pokes - before.pokes;
            return pokes == 0 ? Double.NaN
                    : (double) (rows - before.rows - (inFlight - before.inFlight)) / pokes;
        }
    }

    static void install(Connection c, List<String> tables) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE UNLOGGED TABLE bench_row_writes (tbl TEXT NOT NULL, n BIGINT NOT NULL)");
            for (String rows : List.of("new_rows", "old_rows")) {
                s.execute("CREATE FUNCTION bench_count_" + rows + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO bench_row_writes SELECT TG_TABLE_NAME, n FROM (SELECT count(*) AS n FROM "
                        + rows + ") c WHERE n > 0; RETURN NULL; END $$");
            }
            for (String table : tables) {
                // A transition table is for one event only: a trigger per event.
                s.execute(trigger(table, "INSERT", "NEW TABLE AS new_rows", "new_rows"));
                s.execute(trigger(table, "UPDATE", "NEW TABLE AS new_rows", "new_rows"));
                s.execute(trigger(table, "DELETE", "OLD TABLE AS old_rows", "old_rows"));
            }
        }
    }

    private static String trigger(String table, String event, String referencing, String rows) {
        return "CREATE TRIGGER bench_rows_" + event.toLowerCase(java.util.Locale.ROOT) + " AFTER " + event + " ON "
                + table + " REFERENCING " + referencing + " FOR EACH STATEMENT EXECUTE FUNCTION bench_count_" + rows
                + "()";
    }

    /** The count now: rows written to the counted tables, and the pokes and running tries of {@code dagId}. */
    static Count read(Connection c, String dagId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT (SELECT COALESCE(sum(n), 0) FROM bench_row_writes),
                       (SELECT COALESCE(sum(poke_count), 0) FROM task_instance WHERE dag_id = ?),
                       (SELECT count(*) FROM task_instance WHERE dag_id = ? AND state = 'running')""")) {
            s.setString(1, dagId);
            s.setString(2, dagId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Count(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }
}
