package dev.weft.engine.store;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs several store steps in one transaction, so that an engine class can decide and the stores only run
 * statements: everything {@code work} does through the {@link Stores} it is given commits together or not at all
 * (an exception rolls it back and is rethrown). Steps of the stores that are transactions themselves join this one.
 */
public interface Transactor {
    /** The store ports bound to one transaction; valid only inside {@link #inTransaction}. */
    interface Stores {
        RunStore runs();

        TaskInstanceStore taskInstances();

        CallbackStore callbacks();
        DatasetStore datasets();
    }

    <T> T inTransaction(Function<Stores, T> work);

    /**
     * A connection a loop keeps across its passes: every store step a pass takes on the loop's thread goes through it,
     * each committing as it would alone, and a transaction inside joins it. Kept, so that no pass borrows (and
     * checks) a pooled connection per statement, and the DAOs a pass uses are bound to it once, not at every call.
     * A pass that fails gives the connection up (it may be dead): the next pass takes another.
     */
    interface Session extends AutoCloseable {
        <T> T run(Supplier<T> pass);

        @Override
        void close();
    }

    /** A session for one loop's thread. By default each store step takes a connection of its own. */
    default Session openSession() {
        return new Session() {
            @Override
            public <T> T run(Supplier<T> pass) {
                return pass.get();
            }

            @Override
            public void close() {
            }
        };
    }
}
