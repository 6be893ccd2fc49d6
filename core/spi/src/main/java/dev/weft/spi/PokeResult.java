package dev.weft.spi;

import java.time.Duration;

/** A sensor's answer to one poke. */
public sealed interface PokeResult {
    /** The condition holds; the task succeeds with {@code output} (may be null). */
    record Ready(Object output) implements PokeResult {
    }

    /**
     * Not yet. {@code askAgainAfter} (may be null) asks for the next poke after that long instead of the
     * configured interval; the engine still honours the timeout.
     */
    record NotYet(Duration askAgainAfter, String reason) implements PokeResult {
    }

    /** The condition can never hold: the task fails at once, without retries. */
    record Failed(String reason) implements PokeResult {
    }

    static PokeResult ready() {
        return new Ready(null);
    }

    static PokeResult ready(Object output) {
        return new Ready(output);
    }

    static PokeResult notYet() {
        return new NotYet(null, null);
    }

    static PokeResult notYet(String reason) {
        return new NotYet(null, reason);
    }

    static PokeResult notYet(Duration askAgainAfter, String reason) {
        return new NotYet(askAgainAfter, reason);
    }

    static PokeResult failed(String reason) {
        return new Failed(reason);
    }
}
