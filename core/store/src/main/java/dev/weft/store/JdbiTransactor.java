package dev.weft.store;

import dev.weft.engine.store.CallbackStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.Transactor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Function;

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
}
