package dev.weft.engine;

/**
 * Wakes the loops that a committed change concerns, wherever they run: the schedulers (a trigger, a clear, a
 * write-back that left runs to examine, a file event) or the workers (newly queued work). Call after the change
 * committed. In one process the loops meet through {@link Signal}s; across processes through the store (PostgreSQL
 * {@code LISTEN/NOTIFY}); the tick stays the safety net, so a wake-up lost on the way costs at most one tick.
 */
public interface Wakeups {
    /** Wakes nobody: for callers whose loops only tick, and for tests. */
    Wakeups NONE = of(() -> { }, () -> { });

    void notifySchedulers();

    void notifyWorkers();

    static Wakeups of(Runnable schedulers, Runnable workers) {
        return new Wakeups() {
            @Override
            public void notifySchedulers() {
                schedulers.run();
            }

            @Override
            public void notifyWorkers() {
                workers.run();
            }
        };
    }

    /** These wake-ups, then {@code others}': e.g. this process's loops at once, then the other processes'. */
    default Wakeups and(Wakeups others) {
        Wakeups first = this;
        return of(() -> {
            first.notifySchedulers();
            others.notifySchedulers();
        }, () -> {
            first.notifyWorkers();
            others.notifyWorkers();
        });
    }
}
