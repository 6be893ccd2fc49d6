package dev.weft.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Makes waiting reschedule-mode sensors due at once, when what they wait for may have arrived. */
public interface SensorWakeStore {
    /**
     * Sets {@code next_attempt_at} to {@code now} for those of the task instances that are up_for_reschedule and not
     * yet due; the scheduler's next pass then schedules them. Returns the ids that changed.
     */
    List<Long> wakeRescheduled(Collection<Long> ids, Instant now);

    /** Those of the task instances that are running (a poke in progress, whose outcome is not written yet). */
    List<Long> running(Collection<Long> ids);
}
