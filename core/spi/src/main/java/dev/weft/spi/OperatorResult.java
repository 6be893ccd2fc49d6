package dev.weft.spi;

/** How an operator's try ended, when it did not throw. */
public sealed interface OperatorResult {
    /** The task succeeded; {@code output} (JSON-like, may be null) is stored as the task's output. */
    record Success(Object output) implements OperatorResult {
    }

    /** The task is skipped; downstream tasks follow their trigger rules. */
    record Skipped(String reason) implements OperatorResult {
    }

    static OperatorResult success() {
        return new Success(null);
    }

    static OperatorResult success(Object output) {
        return new Success(output);
    }

    static OperatorResult skipped(String reason) {
        return new Skipped(reason);
    }
}
