package dev.weft.engine.schedule;

import com.cronutils.model.time.ExecutionTime;
import dev.weft.spi.dag.Schedules;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import java.util.Set;

/**
 * The instants a five-field cron expression fires at in a time zone, with Airflow's DST policy.
 *
 * <p>The expression is matched against wall-clock time. A wall time that does not exist (a spring-forward
 * gap) fires once, shifted forward by the length of the gap (02:30 in a 02:00→03:00 gap fires at 03:30); if
 * that coincides with a real point it fires only once. A wall time that occurs twice (a fall-back overlap) fires
 * once, at the earlier offset, except for expressions whose hour field is {@code *}: like Airflow, those fire
 * in both passes, so an hourly schedule stays hourly in elapsed time.
 *
 * <p>cron-utils only steps through wall times here (in UTC, where it has no DST logic); this class maps wall
 * times to instants. The time line is cut into segments between the zone's offset transitions; within a
 * segment the offset is constant, so the mapping is a simple shift, and each transition decides which wall times
 * belong to the segment after it.
 */
final class CronGrid implements Grid {
    private static final Set<String> EVERY_HOUR = Set.of("*", "*/1", "0-23");
    /** Transitions crossed at most per lookup; every real zone has a point long before that. */
    private static final int MAX_SEGMENTS = 10_000;

    private final String expression;
    private final ExecutionTime cron;
    private final ZoneRules rules;
    private final boolean everyHour;

    CronGrid(String expression, ZoneId zone) {
        this.expression = expression;
        this.cron = ExecutionTime.forCron(Schedules.cronParser().parse(expression));
        this.rules = zone.getRules();
        this.everyHour = EVERY_HOUR.contains(expression.trim().split("\\s+")[1]);
        LocalDateTime probe = LocalDateTime.of(2000, 1, 1, 0, 0);
        if (wallAfter(probe).isEmpty() || wallBefore(probe).isEmpty()) {
            throw new IllegalArgumentException("cron expression '" + expression + "' never fires");
        }
    }

    String expression() {
        return expression;
    }

    @Override
    public Optional<Instant> after(Instant t) {
        Segment s = segmentAt(t);
        for (int i = 0; i < MAX_SEGMENTS; i++) {
            Instant best = null;
            // Regular wall times of the segment, at its own offset.
            LocalDateTime lo = wall(t, s.offset);
            LocalDateTime lower = s.regularFrom(everyHour);
            Optional<LocalDateTime> w = lower != null && lo.isBefore(lower) ? wallAtOrAfter(lower) : wallAfter(lo);
            if (w.isPresent() && s.inRegularRange(w.get())) {
                best = w.get().toInstant(s.offset);
            }
            // Wall times in the gap the segment starts with, shifted forward by the gap.
            if (s.startsWithGap()) {
                ZoneOffsetTransition gap = s.start;
                LocalDateTime lo2 = wall(t, gap.getOffsetBefore());
                Optional<LocalDateTime> w2 = lo2.isBefore(gap.getDateTimeBefore())
                        ? wallAtOrAfter(gap.getDateTimeBefore()) : wallAfter(lo2);
                if (w2.isPresent() && w2.get().isBefore(gap.getDateTimeAfter())) {
                    Instant shifted = w2.get().toInstant(gap.getOffsetBefore());
                    best = best == null || shifted.isBefore(best) ? shifted : best;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
            if (s.end == null) {
                return Optional.empty();
            }
            s = segmentAt(s.end.getInstant());
        }
        return Optional.empty();
    }

    @Override
    public Optional<Instant> before(Instant t) {
        Segment s = segmentAt(t);
        for (int i = 0; i < MAX_SEGMENTS; i++) {
            Instant best = null;
            LocalDateTime hi = wall(t, s.offset);
            if (s.end != null && s.end.getDateTimeBefore().isBefore(hi)) {
                hi = s.end.getDateTimeBefore();
            }
            Optional<LocalDateTime> w = wallBefore(hi);
            LocalDateTime lower = s.regularFrom(everyHour);
            if (w.isPresent() && (lower == null || !w.get().isBefore(lower))) {
                best = w.get().toInstant(s.offset);
            }
            if (s.startsWithGap()) {
                ZoneOffsetTransition gap = s.start;
                LocalDateTime hi2 = wall(t, gap.getOffsetBefore());
                if (gap.getDateTimeAfter().isBefore(hi2)) {
                    hi2 = gap.getDateTimeAfter();
                }
                Optional<LocalDateTime> w2 = wallBefore(hi2);
                if (w2.isPresent() && !w2.get().isBefore(gap.getDateTimeBefore())) {
                    Instant shifted = w2.get().toInstant(gap.getOffsetBefore());
                    best = best == null || shifted.isAfter(best) ? shifted : best;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
            if (s.start == null) {
                return Optional.empty();
            }
            s = segmentAt(s.start.getInstant().minusNanos(1));
        }
        return Optional.empty();
    }

    private static LocalDateTime wall(Instant t, ZoneOffset offset) {
        return LocalDateTime.ofInstant(t, offset);
    }

    private Segment segmentAt(Instant t) {
        return new Segment(rules.previousTransition(t.plusNanos(1)), rules.nextTransition(t), rules.getOffset(t));
    }

    // cron-utils, used on wall times only: in UTC it applies no DST rules of its own.

    private Optional<LocalDateTime> wallAfter(LocalDateTime w) {
        return cron.nextExecution(w.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private Optional<LocalDateTime> wallBefore(LocalDateTime w) {
        return cron.lastExecution(w.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private Optional<LocalDateTime> wallAtOrAfter(LocalDateTime w) {
        // cron points are whole minutes; isMatch ignores seconds, so only ask it about whole minutes.
        if (w.getSecond() == 0 && w.getNano() == 0 && cron.isMatch(w.atZone(ZoneOffset.UTC))) {
            return Optional.of(w);
        }
        return wallAfter(w);
    }

    /**
     * The stretch of time between two offset transitions ({@code start}/{@code end} null at either end of the
     * zone's history), with the constant offset in force during it.
     */
    private record Segment(ZoneOffsetTransition start, ZoneOffsetTransition end, ZoneOffset offset) {

        boolean startsWithGap() {
            return start != null && start.isGap();
        }

        /**
         * The first wall time resolved at this segment's offset (null: no lower bound). After a gap: the end of
         * the gap. After an overlap: the end of the repeated hour, whose wall times already fired at the earlier
         * offset, unless the expression fires every hour, in which case they fire again.
         */
        LocalDateTime regularFrom(boolean everyHour) {
            if (start == null) {
                return null;
            }
            return start.isGap() || everyHour ? start.getDateTimeAfter() : start.getDateTimeBefore();
        }

        boolean inRegularRange(LocalDateTime w) {
            return end == null || w.isBefore(end.getDateTimeBefore());
        }
    }
}
