package dev.weft.spi;

/**
 * Cooperative cancellation of a try: set when the try times out, is cleared while running, or the worker stops.
 * Code that waits or loops should check it; the engine interrupts the thread after a grace period.
 */
public interface Cancellation {
    boolean isCancelled();

    /** Why the try was cancelled, or null. */
    String reason();

    /** Throws {@link java.util.concurrent.CancellationException} when cancelled. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new java.util.concurrent.CancellationException(reason());
        }
    }
}
