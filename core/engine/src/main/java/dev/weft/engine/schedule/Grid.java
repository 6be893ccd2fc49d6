package dev.weft.engine.schedule;

import java.time.Instant;
import java.util.Optional;

/** An ordered, unbounded set of schedule points (instants); a cron expression in a zone or a fixed-interval grid. */
sealed interface Grid permits CronGrid, FixedGrid {

    /** The first point strictly after {@code t}. */
    Optional<Instant> after(Instant t);

    /** The last point strictly before {@code t}. */
    Optional<Instant> before(Instant t);

    /** {@code t} itself when it is a point, else the first point after it. */
    default Optional<Instant> atOrAfter(Instant t) {
        return after(t.minusNanos(1));
    }

    /** {@code t} itself when it is a point, else the last point before it. */
    default Optional<Instant> atOrBefore(Instant t) {
        return before(t.plusNanos(1));
    }
}
