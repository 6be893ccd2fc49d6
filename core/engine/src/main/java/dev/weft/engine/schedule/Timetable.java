package dev.weft.engine.schedule;

import dev.weft.spi.DataInterval;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.Schedules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * When a DAG's runs happen and which data interval each covers (Airflow's data-interval timetables). Immutable
 * and thread-safe; every {@link Instant} in and out is a point on the UTC time line.
 *
 * <ul>
 *   <li>cron expression or preset: intervals run from one cron point to the next, evaluated in the DAG's time
 *       zone; the first starts at the first cron point at or after the start date.</li>
 *   <li>ISO-8601 duration ({@code PT5H}): intervals {@code [start + k·d, start + (k+1)·d)}, not aligned to the
 *       clock.</li>
 *   <li>{@code @once}: one run, logical date = start date, zero-length interval.</li>
 *   <li>{@code null}: no scheduled runs.</li>
 * </ul>
 *
 * The logical date of a run is its interval's start; a scheduled run is created once its interval has ended.
 * See docs/scheduling.md.
 */
public final class Timetable {
    /** The most intervals {@link #intervalsBetween} returns. */
    public static final int MAX_INTERVALS = 100_000;

    private enum Kind { NONE, ONCE, CRON, FIXED }

    /**
     * The next scheduled run: its data interval (logical date = {@code interval.start()}) and the instant from
     * which it may be created.
     */
    public record NextRun(DataInterval interval, Instant createAfter) {
        public Instant logicalDate() {
            return interval.start();
        }
    }

    private final Kind kind;
    private final String schedule;
    private final ZoneId zone;
    private final Instant startDate;
    private final Instant endDate;
    private final boolean catchup;
    private final Grid grid;

    private Timetable(Kind kind, String schedule, ZoneId zone, Instant startDate, Instant endDate, boolean catchup,
                      Grid grid) {
        this.kind = kind;
        this.schedule = schedule;
        this.zone = zone;
        this.startDate = startDate;
        this.endDate = endDate;
        this.catchup = catchup;
        this.grid = grid;
    }

    /** @throws IllegalArgumentException when the schedule, time zone or start date do not make a timetable */
    public static Timetable of(DagSpec dag) {
        String schedule = dag.schedule();
        Schedules.problem(schedule).ifPresent(p -> {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "': " + p);
        });
        ZoneId zone;
        try {
            zone = ZoneId.of(dag.timezone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "': unknown time zone '" + dag.timezone() + "'");
        }
        if (schedule == null) {
            return new Timetable(Kind.NONE, null, zone, dag.startDate(), dag.endDate(), dag.catchup(), null);
        }
        if (dag.startDate() == null) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "': a scheduled DAG needs a start date");
        }
        if (dag.endDate() != null && dag.endDate().isBefore(dag.startDate())) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "': end date is before start date");
        }
        if (Schedules.ONCE.equals(schedule)) {
            return new Timetable(Kind.ONCE, schedule, zone, dag.startDate(), dag.endDate(), dag.catchup(), null);
        }
        if (Schedules.isInterval(schedule)) {
            Grid grid = new FixedGrid(dag.startDate(), Schedules.interval(schedule));
            return new Timetable(Kind.FIXED, schedule, zone, dag.startDate(), dag.endDate(), dag.catchup(), grid);
        }
        String cron = Schedules.cronExpression(schedule).orElseThrow();
        Grid grid;
        try {
            grid = new CronGrid(cron, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "': " + e.getMessage(), e);
        }
        return new Timetable(Kind.CRON, schedule, zone, dag.startDate(), dag.endDate(), dag.catchup(), grid);
    }

    /** Whether the scheduler creates runs for this DAG at all ({@code false} for a DAG without schedule). */
    public boolean isScheduled() {
        return kind != Kind.NONE;
    }

    /** The schedule string as written in the DAG (a preset stays a preset), or null. */
    public String schedule() {
        return schedule;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The next run the scheduler will create, whether or not it is due yet ({@code createAfter} may be in the
     * future): use it to show the next run and to know when to wake up.
     *
     * @param lastAutomated the data interval of the latest scheduled or backfill run, null if there is none
     *                      (manual runs never move the schedule)
     * @param now           the current time; only used when catchup is off, to skip to the latest interval
     * @return empty when no more runs will be scheduled (no schedule, {@code @once} done, past the end date)
     */
    public Optional<NextRun> nextRun(DataInterval lastAutomated, Instant now) {
        if (kind == Kind.NONE) {
            return Optional.empty();
        }
        if (kind == Kind.ONCE) {
            return lastAutomated != null ? Optional.empty()
                    : Optional.of(new NextRun(new DataInterval(startDate, startDate), startDate));
        }
        Optional<Instant> earliest = catchup ? firstLogicalDate() : latestCompletedStart(now);
        if (earliest.isEmpty()) {
            return Optional.empty();
        }
        Instant start = earliest.get();
        if (lastAutomated != null) {
            // Cron: align, in case the schedule changed since; a fixed interval simply continues.
            Instant follow = kind == Kind.CRON ? grid.atOrBefore(lastAutomated.end()).orElse(lastAutomated.end())
                    : lastAutomated.end();
            start = max(start, follow);
        }
        if (endDate != null && start.isAfter(endDate)) {
            return Optional.empty();
        }
        return intervalStartingAt(start).map(interval -> new NextRun(interval, interval.end()));
    }

    /** {@link #nextRun} if it may be created at {@code now} (its interval has ended), else empty. */
    public Optional<DataInterval> dueRun(DataInterval lastAutomated, Instant now) {
        return nextRun(lastAutomated, now).filter(r -> !r.createAfter().isAfter(now)).map(NextRun::interval);
    }

    /**
     * The data interval of a manual run with this logical date (Airflow infers it the same way): cron → the last
     * complete cron interval ending at or before it; fixed interval → {@code [logical − d, logical]}; no schedule
     * or {@code @once} → {@code [logical, logical]}.
     */
    public DataInterval manualInterval(Instant logicalDate) {
        if (kind == Kind.FIXED) {
            return new DataInterval(logicalDate.minus(((FixedGrid) grid).step()), logicalDate);
        }
        if (kind == Kind.CRON) {
            Optional<Instant> end = grid.atOrBefore(logicalDate);
            Optional<Instant> start = end.flatMap(grid::before);
            if (start.isPresent()) {
                return new DataInterval(start.get(), end.get());
            }
        }
        return new DataInterval(logicalDate, logicalDate);
    }

    /**
     * The interval the schedule puts after {@code interval}, ignoring the start and end dates and catchup (Airflow's
     * {@code next_dagrun_info(interval, restricted=False)}): cron → from the first fire time at or after its end to
     * the next; fixed interval → the same length from its end. Empty for no schedule and {@code @once}.
     */
    public Optional<DataInterval> intervalAfter(DataInterval interval) {
        return switch (kind) {
            case NONE, ONCE -> Optional.empty();
            case FIXED -> intervalStartingAt(interval.end());
            case CRON -> grid.atOrAfter(interval.end()).flatMap(this::intervalStartingAt);
        };
    }

    /**
     * Every schedule interval whose logical date lies in {@code [from, to]}, oldest first: what a backfill of that
     * range runs. The DAG's start and end dates do not limit it (the caller decides). {@code @once} yields its one
     * interval if the start date is in range; no schedule yields nothing.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}, or the range holds more than
     *                                  {@link #MAX_INTERVALS} intervals
     */
    public List<DataInterval> intervalsBetween(Instant from, Instant to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the range starts (" + from + ") after it ends (" + to + ")");
        }
        if (kind == Kind.NONE) {
            return List.of();
        }
        if (kind == Kind.ONCE) {
            return from.isAfter(startDate) || to.isBefore(startDate) ? List.of()
                    : List.of(new DataInterval(startDate, startDate));
        }
        List<DataInterval> out = new ArrayList<>();
        Optional<Instant> p = grid.atOrAfter(from);
        while (p.isPresent() && !p.get().isAfter(to)) {
            if (out.size() == MAX_INTERVALS) {
                throw new IllegalArgumentException("more than " + MAX_INTERVALS + " schedule intervals between "
                        + from + " and " + to + " (schedule '" + schedule + "'); use a shorter range");
            }
            Optional<Instant> next = grid.after(p.get());
            if (next.isEmpty()) {
                break;
            }
            out.add(new DataInterval(p.get(), next.get()));
            p = next;
        }
        return List.copyOf(out);
    }

    /**
     * Logical dates the schedule really produces near {@code around}: up to {@code count} before it and up to
     * {@code count} at or after it, ascending. Only dates between the first scheduled logical date and the end
     * date count. Empty for a DAG without schedule.
     */
    public List<Instant> logicalDatesNear(Instant around, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        if (kind == Kind.NONE || count == 0) {
            return List.of();
        }
        if (kind == Kind.ONCE) {
            return List.of(startDate);
        }
        Instant first = firstLogicalDate().orElse(null);
        if (first == null) {
            return List.of();
        }
        List<Instant> before = new ArrayList<>();
        Optional<Instant> p = grid.before(around);
        if (endDate != null && p.isPresent() && p.get().isAfter(endDate)) {
            p = grid.atOrBefore(endDate);
        }
        while (p.isPresent() && before.size() < count && !p.get().isBefore(first)) {
            before.add(p.get());
            p = grid.before(p.get());
        }
        Collections.reverse(before);
        List<Instant> out = new ArrayList<>(before);
        p = grid.atOrAfter(max(around, first));
        int after = 0;
        while (p.isPresent() && after < count && (endDate == null || !p.get().isAfter(endDate))) {
            out.add(p.get());
            after++;
            p = grid.after(p.get());
        }
        return List.copyOf(out);
    }

    /**
     * A short human description, in the spirit of Airflow's {@code timetable_description}: "At 16:00",
     * "Every 5 hours", "Once, at 2024-01-01T00:00:00Z", "Never, external triggers only".
     */
    public String description() {
        return switch (kind) {
            case NONE -> "Never, external triggers only";
            case ONCE -> "Once, at " + startDate;
            case FIXED -> Descriptions.ofInterval(((FixedGrid) grid).step());
            case CRON -> Descriptions.ofCron(((CronGrid) grid).expression(), zone);
        };
    }

    @Override
    public String toString() {
        return "Timetable[" + (schedule == null ? "none" : schedule) + " in " + zone + "]";
    }

    // -- helpers

    /** The logical date of the first scheduled run (cron: aligned to the schedule). */
    private Optional<Instant> firstLogicalDate() {
        return grid.atOrAfter(startDate);
    }

    /**
     * With catchup off, the earliest run to create: the interval that most recently ended at {@code now} (one that
     * ends exactly at {@code now} counts), but not before the first logical date.
     */
    private Optional<Instant> latestCompletedStart(Instant now) {
        Optional<Instant> first = firstLogicalDate();
        Optional<Instant> latest = grid.atOrBefore(now).flatMap(grid::before);
        if (first.isEmpty()) {
            return latest;
        }
        return Optional.of(latest.map(l -> max(l, first.get())).orElse(first.get()));
    }

    private Optional<DataInterval> intervalStartingAt(Instant start) {
        if (kind == Kind.FIXED) {
            return Optional.of(new DataInterval(start, start.plus(((FixedGrid) grid).step())));
        }
        return grid.after(start).map(end -> new DataInterval(start, end));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
