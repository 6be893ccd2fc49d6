package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.PoolStore;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes through the DAOs are committed: another connection sees them at once, also when a pass shares one. */
class TransactionLeakTest {
    @Test
    void writesAreVisibleToOtherConnections() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Instant now = Instant.parse("2026-11-24T10:00:00Z");
            var b = Dag.builder("visible");
            b.task("a", OperatorRef.of("test.noop", Map.of()));
            db.database().jdbi().useHandle(h -> h.execute("INSERT INTO pool (name, slots) VALUES ('x', 1)"));
            assertThat(count(db, "pool WHERE name = 'x'")).as("plain handle").isEqualTo(1);
            db.database().pools().upsert(new dev.weft.engine.store.PoolStore.Pool("y", 1, null, false));
            assertThat(count(db, "pool WHERE name = 'y'")).as("SqlUpdate").isEqualTo(1);
            db.database().dags().upsert(b.build(), "h", null, false, now);
            assertThat(count(db, "dag")).as("SqlQuery insert").isEqualTo(1);
            db.database().runs().create(new NewRun("visible", "r1", RunType.MANUAL, now, new DataInterval(now, now),
                    true, Map.of(), null, null), List.of(new NewTaskInstance("a", "test.noop", 0, 1, "default_pool", 1)), now);
            assertThat(count(db, "dag_run")).isEqualTo(1);
            db.database().runs().startQueued(now, (dagByRun, states) -> List.of());
            assertThat(count(db, "dag_run WHERE state = 'running'")).isEqualTo(1);
            db.database().taskInstances().queue(10, now);
            db.database().dags().upsert(b.build(), "h2", null, false, now);
            assertThat(count(db, "dag WHERE spec_hash = 'h2'")).isEqualTo(1);
        }
    }

    @Test
    void aPassOnOneConnectionGivesItToEveryStepAndEachStepStillCommits() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            WeftDatabase weft = db.database();
            weft.transactor().onOneConnection(() -> {
                // A temporary table is seen by its own session only: the DAOs below write where this handle does.
                weft.jdbi().useHandle(h -> h.execute("CREATE TEMPORARY TABLE pool (LIKE public.pool INCLUDING ALL)"));
                weft.pools().upsert(new PoolStore.Pool("in_pass", 1, null, false));
                assertThat(weft.pools().list()).extracting(PoolStore.Pool::name).containsExactly("in_pass");
                weft.transactor().inTransaction(tx -> tx.taskInstances().queue(10, Instant.now()));
                weft.jdbi().useHandle(h -> h.execute("DROP TABLE pg_temp.pool"));
                weft.pools().upsert(new PoolStore.Pool("committed", 1, null, false));
                try {
                    assertThat(count(db, "pool WHERE name = 'committed'")).isEqualTo(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            assertThat(count(db, "pool WHERE name = 'in_pass'")).isZero();
        }
    }

    private static long count(TestDatabase db, String from) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url()); ResultSet rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
