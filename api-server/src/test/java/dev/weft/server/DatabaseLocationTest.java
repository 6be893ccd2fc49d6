package dev.weft.server;

import com.codahale.metrics.MetricRegistry;
import dev.weft.store.TestDatabase;
import io.dropwizard.db.ManagedDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool replaces connections the database terminated, instead of handing them out to fail. */
class DatabaseLocationTest {
    @Test
    void connectionsTheDatabaseTerminatedAreReplacedWhenBorrowed() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            WeftConfiguration config = new WeftConfiguration();
            config.setDatabaseUrl(db.url());
            try (DatabaseLocation location = DatabaseLocation.open(config)) {
                ManagedDataSource pool = location.dataSourceFactory().build(new MetricRegistry(), "test");
                try {
                    backend(pool);
                    List<Integer> terminated = new ArrayList<>();
                    try (Connection admin = DriverManager.getConnection(db.url());
                         Statement s = admin.createStatement();
                         ResultSet r = s.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                                 + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                        while (r.next()) {
                            terminated.add(r.getInt(1));
                        }
                    }
                    assertThat(terminated).isNotEmpty();
                    // Past the validation interval, the next borrow checks its connection and replaces it.
                    Thread.sleep(DatabaseLocation.VALIDATION_INTERVAL.toMilliseconds() + 200);
                    assertThat(backend(pool)).isNotIn(terminated);
                } finally {
                    pool.stop();
                }
            }
        }
    }

    /** The server process behind the connection the pool hands out. */
    private static int backend(ManagedDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }
}
