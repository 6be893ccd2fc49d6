package dev.weft.engine.store;

import java.util.function.Function;

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
}
