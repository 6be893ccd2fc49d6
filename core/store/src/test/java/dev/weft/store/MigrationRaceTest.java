package dev.weft.store;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduler and workers started together on a new database all migrate it at once. Liquibase's own lock cannot
 * cover that: the first statements create its lock table, and two processes creating it at once failed one start with
 * "duplicate key value violates unique constraint pg_type_typname_nsp_index" (found by the fault-injection suite).
 */
class MigrationRaceTest {
    @Test
    void severalProcessesMigratingANewDatabaseAtOnceAllStart() throws Exception {
        try (TestDatabase server = TestDatabase.create()) {
            String name = "weft_race_" + Long.toHexString(System.nanoTime());
            try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            String url = server.url().replaceFirst("/weft_test_[0-9a-f]+", "/" + name);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    starts.add(threads.submit(() -> {
                        PGSimpleDataSource source = new PGSimpleDataSource();
                        source.setURL(url);
                        go.await();
                        WeftDatabase.migrate(source);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> start : starts) {
                    start.get();   // rethrows a failed migration
                }
                PGSimpleDataSource source = new PGSimpleDataSource();
                source.setURL(url);
                assertThat(WeftDatabase.pendingChanges(source)).isEmpty();
            } finally {
                threads.shutdownNow();
                try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            }
        }
    }
}
