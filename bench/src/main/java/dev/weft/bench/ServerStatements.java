package dev.weft.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's own view of a phase's statements, from {@code pg_stat_statements} when the server loads it: what every
 * process sent, the split's five included, which the in-process {@link StatementProfiler} cannot see. A reading at
 * the start and one at the end; the difference is the phase's (the server's counters are left alone). Without the
 * extension (it needs {@code shared_preload_libraries} and {@code CREATE EXTENSION} in the admin database) there is
 * nothing to show, and the phase runs as before.
 */
final class ServerStatements {
    private static final String READ = """
            SELECT queryid, left(regexp_replace(query, '\\s+', ' ', 'g'), 90), calls, total_exec_time, rows,
                   shared_blks_hit + shared_blks_read, shared_blks_dirtied, wal_bytes
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)""";

    /** One statement's counters; the times in milliseconds, as the view gives them. */
    private record Counters(String text, long calls, double millis, long rows, long blocks, long dirtied,
                            long walBytes) {
        Counters minus(Counters before) {
            return before == null ? this : new Counters(text, calls - before.calls, millis - before.millis,
                    rows - before.rows, blocks - before.blocks, dirtied - before.dirtied,
                    walBytes - before.walBytes);
        }
    }

    private final Connection connection;
    private final String database;
    private final Map<Long, Counters> atStart;

    private ServerStatements(Connection connection, String database, Map<Long, Counters> atStart) {
        this.connection = connection;
        this.database = database;
        this.atStart = atStart;
    }

    /** Starts a phase of {@code database}'s; null when the server does not keep the view. */
    static ServerStatements start(BenchPostgres postgres, String database) throws SQLException {
        Connection connection = postgres.adminConnection();
        try {
            return new ServerStatements(connection, database, read(connection, database));
        } catch (SQLException notLoaded) {
            connection.close();
            return null;
        }
    }

    private static Map<Long, Counters> read(Connection connection, String database) throws SQLException {
        Map<Long, Counters> counters = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(READ)) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counters.put(rs.getLong(1), new Counters(rs.getString(2), rs.getLong(3), rs.getDouble(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
                }
            }
        }
        return counters;
    }

    /**
     * Ends the phase: a markdown table of its statements, the most time first, per {@code unit} ({@code units} of
     * them in the phase), and the totals.
     */
    List<String> stop(String title, long units, String unit) throws SQLException {
        List<Counters> phase = new ArrayList<>();
        Map<Long, Counters> atEnd;
        try (connection) {
            atEnd = read(connection, database);
        }
        atEnd.forEach((id, now) -> {
            Counters d = now.minus(atStart.get(id));
            if (d.calls() > 0) {
                phase.add(d);
            }
        });
        phase.sort(Comparator.comparingDouble(Counters::millis).reversed());
        double totalMillis = phase.stream().mapToDouble(Counters::millis).sum();
        List<String> lines = new ArrayList<>();
        lines.add("#### " + title + ": PostgreSQL's statements (pg_stat_statements)");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%,d statements, %,d calls, %.0f ms executing (%.1f µs per %s); "
                        + "%.1f rows, %.1f blocks, %.2f dirtied, %.0f WAL bytes per %s.",
                phase.size(), phase.stream().mapToLong(Counters::calls).sum(), totalMillis,
                1000 * totalMillis / units, unit,
                phase.stream().mapToLong(Counters::rows).sum() / (double) units,
                phase.stream().mapToLong(Counters::blocks).sum() / (double) units,
                phase.stream().mapToLong(Counters::dirtied).sum() / (double) units,
                phase.stream().mapToLong(Counters::walBytes).sum() / (double) units, unit));
        lines.add("");
        lines.add("| statement | calls per 1,000 " + unit + "s | µs per " + unit + " | mean µs | rows per call | "
                + "blocks per call | WAL bytes per " + unit + " |");
        lines.add("|---|---|---|---|---|---|---|");
        for (Counters c : phase.subList(0, Math.min(20, phase.size()))) {
            lines.add(String.format(Locale.ROOT, "| `%s` | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f |",
                    c.text().replace("|", "\\|"), 1000.0 * c.calls() / units, 1000 * c.millis() / units,
                    1000 * c.millis() / c.calls(), c.rows() / (double) c.calls(), c.blocks() / (double) c.calls(),
                    c.walBytes() / (double) units));
        }
        lines.add("");
        return lines;
    }
}
