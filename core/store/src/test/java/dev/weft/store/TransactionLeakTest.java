package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.Transactor;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes through the DAOs are committed: another connection sees them at once, also inside a loop's session. */
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
    void aLoopsSessionGivesItsConnectionToEveryStepOfItsPassesAndEachStepStillCommits() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            // Unpooled: a connection and its temporary tables end with the handle that opened it.
            PGSimpleDataSource unpooled = new PGSimpleDataSource();
            unpooled.setURL(db.url());
            WeftDatabase weft = new WeftDatabase(unpooled);
            try (Transactor.Session session = weft.transactor().openSession()) {
                // A temporary table is seen by its own session only: the DAOs below write where this pass does.
                session.run(() -> {
                    weft.jdbi().useHandle(h -> h.execute("CREATE TEMPORARY TABLE pool (LIKE public.pool INCLUDING ALL)"));
                    weft.pools().upsert(new PoolStore.Pool("in_session", 1, null, false));
                    return weft.transactor().inTransaction(tx -> tx.taskInstances().scheduleDue(Instant.now()));
                });
                assertThat(session.run(() -> weft.pools().list())).as("the next pass, on the same connection")
                        .extracting(PoolStore.Pool::name).containsExactly("in_session");
                session.run(() -> {
                    weft.jdbi().useHandle(h -> h.execute("DROP TABLE pg_temp.pool"));
                    weft.pools().upsert(new PoolStore.Pool("committed", 1, null, false));
                    return null;
                });
                assertThat(count(db, "pool WHERE name = 'committed'")).as("committed at once").isEqualTo(1);
            }
            assertThat(count(db, "pool WHERE name = 'in_session'")).isZero();
            assertThat(weft.pools().list()).extracting(PoolStore.Pool::name).doesNotContain("in_session");
        }
    }

    @Test
    void queueingCommitsOnItsOwnAndLeavesTheSessionsCommitsDurable() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Instant now = Instant.parse("2026-11-24T10:00:00Z");
            WeftDatabase weft = db.database();
            var b = Dag.builder("queued");
            b.task("a", OperatorRef.of("test.noop", Map.of()));
            weft.dags().upsert(b.build(), "h", null, false, now);
            weft.runs().create(new NewRun("queued", "r1", RunType.MANUAL, now, new DataInterval(now, now), true,
                    Map.of(), null, null), List.of(new NewTaskInstance("a", "test.noop", 0, 1, "default_pool", 1)), now);
            weft.runs().startQueued(now, (dagByRun, states) -> List.of());
            weft.jdbi().useHandle(h -> h.execute("UPDATE task_instance SET state = 'scheduled'"));
            try (Transactor.Session session = weft.transactor().openSession()) {
                String durability = session.run(() -> synchronousCommit(weft));
                // Its commit does not wait for the log flush: inside another transaction, that one's would not either.
                assertThatThrownBy(() -> session.run(() -> weft.transactor().inTransaction(
                        tx -> tx.taskInstances().queue(10, now))))
                        .hasMessageContaining("must not run inside another transaction");
                assertThat(count(db, "task_instance WHERE state = 'queued'")).isZero();

                assertThat(session.run(() -> weft.taskInstances().queue(10, now))).isEqualTo(1);
                assertThat(count(db, "task_instance WHERE state = 'queued'")).as("committed at once").isEqualTo(1);
                assertThat(session.run(() -> synchronousCommit(weft)))
                        .as("the setting ended with the queueing's transaction").isEqualTo(durability);
            }
        }
    }

    private static String synchronousCommit(WeftDatabase weft) {
        return weft.jdbi().withHandle(h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one());
    }

    @Test
    void aLoopsSessionReplacesTheConnectionTheDatabaseEndedWhileItIdled() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            PGSimpleDataSource unpooled = new PGSimpleDataSource();
            unpooled.setURL(db.url());
            WeftDatabase weft = new WeftDatabase(unpooled);
            try (Transactor.Session session = weft.transactor().openSession()) {
                Integer first = session.run(() -> backendPid(weft));
                assertThat(session.run(() -> backendPid(weft))).as("kept between passes").isEqualTo(first);
                try (Connection admin = DriverManager.getConnection(db.url())) {
                    admin.createStatement().execute("SELECT pg_terminate_backend(" + first + ")");
                }
                Thread.sleep(1_100); // idle for more than a second: the next pass checks its connection first
                Integer second = session.run(() -> backendPid(weft));
                assertThat(second).as("a new connection, and the pass did not fail").isNotEqualTo(first);
            }
        }
    }

    private static Integer backendPid(WeftDatabase weft) {
        return weft.jdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
    }

    private static long count(TestDatabase db, String from) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url()); ResultSet rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
