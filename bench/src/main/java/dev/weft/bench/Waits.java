package dev.weft.bench;

import java.time.Duration;

/** Polling until something holds, for the scenarios' set-up and completion checks. */
final class Waits {
    private Waits() {
    }

    /** A check that may need I/O. */
    interface Check {
        boolean holds() throws Exception;
    }

    /** What to say when the time is up (it may look at the state, e.g. the task instances' states). */
    interface Failure {
        String describe() throws Exception;
    }

    /** Checks every {@code pollMillis} until {@code check} holds; after {@code timeout}, throws what failure says. */
    static void until(Duration timeout, long pollMillis, Check check, Failure failure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure.describe());
            }
            Thread.sleep(pollMillis);
        }
    }
}
