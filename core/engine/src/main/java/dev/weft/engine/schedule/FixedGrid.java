package dev.weft.engine.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The points {@code anchor + k·step} for every integer k: a fixed-interval schedule, independent of time zones. */
record FixedGrid(Instant anchor, Duration step) implements Grid {

    FixedGrid {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("schedule interval must be positive, got " + step);
        }
    }

    @Override
    public Optional<Instant> after(Instant t) {
        return Optional.of(point(floorIndex(t) + 1));
    }

    @Override
    public Optional<Instant> before(Instant t) {
        return Optional.of(point(ceilIndex(t) - 1));
    }

    Instant point(long k) {
        return anchor.plus(step.multipliedBy(k));
    }

    /** The largest k with {@code point(k) <= t}. */
    long floorIndex(Instant t) {
        Duration since = Duration.between(anchor, t);
        long q = since.dividedBy(step);
        return since.minus(step.multipliedBy(q)).isNegative() ? q - 1 : q;
    }

    /** The smallest k with {@code point(k) >= t}. */
    long ceilIndex(Instant t) {
        Duration since = Duration.between(anchor, t);
        long q = since.dividedBy(step);
        Duration rest = since.minus(step.multipliedBy(q));
        return rest.isNegative() || rest.isZero() ? q : q + 1;
    }
}
