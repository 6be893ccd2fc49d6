package dev.weft.store;

import dev.weft.engine.store.CallbackStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.Transactor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleScope;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@link Transactor} on JDBI: one handle, one transaction, the DAOs attached to it as they are asked for. */
final class JdbiTransactor implements Transactor {
    private final Jdbi jdbi;

    JdbiTransactor(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        return jdbi.inTransaction(handle -> work.apply(new HandleStores(handle)));
    }

    @Override
    public Session openSession() {
        return new LoopSession(jdbi);
    }

    /** Attaching makes a proxy: only the DAOs a unit of work uses are made, once each. */
    private static final class HandleStores implements Stores {
        private final Handle handle;
        private RunDao runs;
        private TaskInstanceDao taskInstances;
        private CallbackDao callbacks;
        private DatasetDao datasets;

        HandleStores(Handle handle) {
            this.handle = handle;
        }

        @Override
        public RunStore runs() {
            if (runs == null) {
                runs = handle.attach(RunDao.class);
            }
            return runs;
        }

        @Override
        public TaskInstanceStore taskInstances() {
            if (taskInstances == null) {
                taskInstances = handle.attach(TaskInstanceDao.class);
            }
            return taskInstances;
        }

        @Override
        public CallbackStore callbacks() {
            if (callbacks == null) {
                callbacks = handle.attach(CallbackDao.class);
            }
            return callbacks;
        }

        @Override
        public DatasetStore datasets() {
            if (datasets == null) {
                datasets = handle.attach(DatasetDao.class);
            }
            return datasets;
        }
    }

    /**
     * A handle kept across a loop's passes and lent, through Jdbi's handle scope, to the on-demand DAOs and the
     * transactions a pass runs on this thread. After a second idle it is checked (one round trip, as the pool checks
     * a connection on borrow), so that a connection the database dropped meanwhile does not fail the next pass.
     */
    private static final class LoopSession implements Session {
        private static final long CHECK_AFTER_IDLE_NANOS = 1_000_000_000L;
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

        private static boolean valid(Handle handle) {
            try {
                return handle.getConnection().isValid(5);
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
