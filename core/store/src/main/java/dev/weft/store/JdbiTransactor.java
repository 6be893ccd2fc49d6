package dev.weft.store;

import dev.weft.engine.store.Transactor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleScope;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@link Transactor} on JDBI: one handle, one transaction, the DAOs bound to it as they are used. */
final class JdbiTransactor implements Transactor {
    private final Jdbi jdbi;
    private final Stores stores;

    /**
     * {@code stores} are the database's {@link ScopedDaos}: inside the transaction they bind to its handle (once
     * per handle and thread, so a transaction in a loop's session reuses what the pass bound).
     */
    JdbiTransactor(Jdbi jdbi, Stores stores) {
        this.jdbi = jdbi;
        this.stores = stores;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        return jdbi.inTransaction(handle -> work.apply(stores));
    }

    @Override
    public Session openSession() {
        return new LoopSession(jdbi);
    }

    /**
     * A handle kept across a loop's passes and lent, through Jdbi's handle scope, to the on-demand DAOs and the
     * transactions a pass runs on this thread. After a second idle it is checked (one round trip, as the pool checks
     * a connection on borrow), so that a connection the database dropped meanwhile does not fail the next pass.
     */
    private static final class LoopSession implements Session {
        private static final long CHECK_AFTER_IDLE_NANOS = 1_000_000_000L;
        private static final int CHECK_TIMEOUT_MILLIS = 5_000;
        private final Jdbi jdbi;
        private Handle handle;
        private long lastUsed;

        LoopSession(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        @Override
        public <T> T run(Supplier<T> pass) {
            if (handle != null && System.nanoTime() - lastUsed > CHECK_AFTER_IDLE_NANOS && !valid(handle)) {
                close();
            }
            if (handle == null) {
                handle = jdbi.open();
            }
            HandleScope scope = jdbi.getHandleScope();
            scope.set(handle);
            try {
                return pass.get();
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            } finally {
                scope.clear();
                lastUsed = System.nanoTime();
            }
        }

        /**
         * Whether the handle's connection still answers. Not {@code Connection.isValid}: the driver's ping is an empty
         * query, a branch its hottest methods never take otherwise, so each check after an idle second deoptimized
         * them (statement execution and result processing ran interpreted, then were compiled again). A prepared
         * {@code SELECT 1} takes the path every statement takes. Like {@code isValid(5)}, it waits at most 5 s for
         * the answer, so that a connection the network lost does not hold the loop.
         */
        private static boolean valid(Handle handle) {
            try {
                Connection connection = handle.getConnection();
                int networkTimeout = connection.getNetworkTimeout();
                connection.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MILLIS);
                try (PreparedStatement check = connection.prepareStatement("SELECT 1");
                     ResultSet answer = check.executeQuery()) {
                    return answer.next();
                } finally {
                    connection.setNetworkTimeout(Runnable::run, networkTimeout);
                }
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (handle != null) {
                try {
                    handle.close();
                } catch (RuntimeException alreadyBroken) {
                    // A dead connection fails its close too; the pool drops it.
                }
                handle = null;
            }
        }
    }
}
