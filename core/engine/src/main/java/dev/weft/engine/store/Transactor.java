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
     * Runs {@code work} with every store step it takes on this thread through one database connection, each step
     * committing as it would alone (a loop's pass): one connection borrowed, and checked, per pass instead of one per
     * statement. A transaction inside joins that connection. By default each step takes a connection of its own.
     */
    default <T> T onOneConnection(Supplier<T> work) {
        return work.get();
    }

}
