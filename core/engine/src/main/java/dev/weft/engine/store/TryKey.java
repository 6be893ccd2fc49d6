package dev.weft.engine.store;

/**
 * One try of a task instance. A worker tracks and supervises tries by this key, never by the task instance alone: a
 * retry of the same task instance may be claimed while an older try still runs.
 */
public record TryKey(long id, int tryNumber) {
    public static TryKey of(ClaimedTry claimed) {
        return new TryKey(claimed.id(), claimed.tryNumber());
    }

    public static TryKey of(TryOutcome outcome) {
        return new TryKey(outcome.id(), outcome.tryNumber());
    }
}
