package dev.weft.engine.schedule;

import dev.weft.engine.schedule.Timetable.NextRun;
import dev.weft.spi.DataInterval;
import dev.weft.spi.dag.DagSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimetableTest {

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    static DataInterval iv(String start, String end) {
        return new DataInterval(at(start), at(end));
    }

    static DagSpec dag(String schedule, String timezone, String start, String end, boolean catchup) {
        return new DagSpec("d", null, schedule, timezone, start == null ? null : at(start),
                end == null ? null : at(end), catchup, 16, 16, null, null, null, null, null, null, null, null);
    }

    static Timetable timetable(String schedule, String start, boolean catchup) {
        return Timetable.of(dag(schedule, "UTC", start, null, catchup));
    }

    /** What the scheduler does: create every due run, oldest first, feeding each back as the last automated one. */
    static List<DataInterval> drain(Timetable tt, DataInterval last, Instant now) {
        List<DataInterval> created = new ArrayList<>();
        Optional<DataInterval> due = tt.dueRun(last, now);
        while (due.isPresent()) {
            assertThat(created).as("no interval twice").doesNotContain(due.get());
            created.add(due.get());
            due = tt.dueRun(due.get(), now);
        }
        return created;
    }

    @Nested
    class Cron {
        @Test
        void dailyWithCatchupCreatesEachMissedIntervalOldestFirstThenWaitsForMidnight() {
            Timetable tt = timetable("@daily", "2024-05-07T00:00:00Z", true);
            Instant now = at("2024-05-10T09:30:00Z");

            List<DataInterval> created = drain(tt, null, now);

            assertThat(created).containsExactly(
                    iv("2024-05-07T00:00:00Z", "2024-05-08T00:00:00Z"),
                    iv("2024-05-08T00:00:00Z", "2024-05-09T00:00:00Z"),
                    iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            DataInterval last = created.get(2);
            assertThat(tt.nextRun(last, now)).contains(new NextRun(
                    iv("2024-05-10T00:00:00Z", "2024-05-11T00:00:00Z"), at("2024-05-11T00:00:00Z")));
            assertThat(tt.dueRun(last, at("2024-05-10T23:59:59Z"))).isEmpty();
            assertThat(tt.dueRun(last, at("2024-05-11T00:00:00Z")))
                    .contains(iv("2024-05-10T00:00:00Z", "2024-05-11T00:00:00Z"));
        }

        @Test
        void runIsCreatedWhenItsIntervalEndsWithTheLogicalDateAtTheStart() {
            // B6.5: start 2024-01-01, @daily → logical 2024-01-01, created at 2024-01-02T00:00.
            Timetable tt = timetable("@daily", "2024-01-01T00:00:00Z", true);
            NextRun first = tt.nextRun(null, at("2024-01-01T12:00:00Z")).orElseThrow();
            assertThat(first.logicalDate()).isEqualTo(at("2024-01-01T00:00:00Z"));
            assertThat(first.interval().end()).isEqualTo(at("2024-01-02T00:00:00Z"));
            assertThat(first.createAfter()).isEqualTo(at("2024-01-02T00:00:00Z"));
            assertThat(tt.dueRun(null, at("2024-01-01T23:59:59.999Z"))).isEmpty();
        }

        @Test
        void sixteenHundredRunIsCreatedAtFourNextDayForThePreviousDaysInterval() {
            Timetable tt = timetable("0 16 * * *", "2024-05-01T00:00:00Z", true);
            NextRun first = tt.nextRun(null, at("2024-05-01T20:00:00Z")).orElseThrow();
            assertThat(first.interval()).isEqualTo(iv("2024-05-01T16:00:00Z", "2024-05-02T16:00:00Z"));
            assertThat(first.createAfter()).isEqualTo(at("2024-05-02T16:00:00Z"));

            assertThat(tt.dueRun(null, at("2024-05-02T15:59:00Z"))).isEmpty();
            assertThat(tt.dueRun(null, at("2024-05-02T16:00:00Z"))).contains(first.interval());
            assertThat(tt.dueRun(first.interval(), at("2024-05-02T16:00:00Z"))).isEmpty();
            assertThat(tt.dueRun(first.interval(), at("2024-05-03T16:00:00Z")))
                    .contains(iv("2024-05-02T16:00:00Z", "2024-05-03T16:00:00Z"));
        }

        @Test
        void catchupOffCreatesOnlyTheLatestCompletedInterval() {
            Timetable tt = timetable("@daily", "2024-01-01T00:00:00Z", false);

            assertThat(drain(tt, null, at("2024-05-10T13:45:00Z")))
                    .containsExactly(iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            // Exactly on a boundary: the interval that ends now.
            assertThat(tt.dueRun(null, at("2024-05-10T00:00:00Z")))
                    .contains(iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            // After a long pause the older intervals are skipped, not caught up.
            assertThat(drain(tt, iv("2024-02-01T00:00:00Z", "2024-02-02T00:00:00Z"), at("2024-05-10T13:45:00Z")))
                    .containsExactly(iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            // Never earlier than the interval following the last automated run.
            DataInterval last = iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z");
            assertThat(tt.nextRun(last, at("2024-05-10T13:45:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-05-10T00:00:00Z", "2024-05-11T00:00:00Z"));
            assertThat(tt.dueRun(last, at("2024-05-10T13:45:00Z"))).isEmpty();
        }

        @Test
        void catchupOffBeforeTheFirstIntervalEndedWaitsForTheFirstInterval() {
            Timetable tt = timetable("@daily", "2024-05-10T00:00:00Z", false);
            assertThat(tt.nextRun(null, at("2024-05-10T13:45:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-05-10T00:00:00Z", "2024-05-11T00:00:00Z"));
            assertThat(tt.dueRun(null, at("2024-05-10T13:45:00Z"))).isEmpty();
        }

        @Test
        void unalignedStartDateMovesTheFirstLogicalDateToTheNextCronPoint() {
            // B6.6: start 2024-01-01T10:00, @daily → first logical 2024-01-02, created after 2024-01-03.
            Timetable tt = timetable("@daily", "2024-01-01T10:00:00Z", true);
            NextRun first = tt.nextRun(null, at("2024-01-02T12:00:00Z")).orElseThrow();
            assertThat(first.interval()).isEqualTo(iv("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"));
            assertThat(first.createAfter()).isEqualTo(at("2024-01-03T00:00:00Z"));
            assertThat(tt.dueRun(null, at("2024-01-02T12:00:00Z"))).isEmpty();
            assertThat(Timetable.of(dag("@daily", "UTC", "2024-01-01T10:00:00Z", null, false))
                    .nextRun(null, at("2024-01-02T12:00:00Z")).orElseThrow().interval())
                    .isEqualTo(first.interval());
        }

        @Test
        void noRunStartsAfterTheEndDateButOneStartingExactlyAtItDoes() {
            Timetable tt = Timetable.of(dag("@daily", "UTC", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", true));
            List<DataInterval> created = drain(tt, null, at("2024-02-01T00:00:00Z"));
            assertThat(created).extracting(DataInterval::start).containsExactly(
                    at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"), at("2024-01-03T00:00:00Z"));
            assertThat(tt.nextRun(created.get(2), at("2024-02-01T00:00:00Z"))).isEmpty();

            Timetable noCatchup = Timetable.of(dag("@daily", "UTC", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", false));
            assertThat(noCatchup.nextRun(null, at("2024-02-01T00:00:00Z"))).isEmpty();
        }

        @Test
        void startInTheFutureMeansNoRunBeforeIt() {
            for (boolean catchup : new boolean[]{true, false}) {
                Timetable tt = timetable("@daily", "2024-06-01T00:00:00Z", catchup);
                Instant now = at("2024-05-10T13:45:00Z");
                assertThat(tt.dueRun(null, now)).isEmpty();
                assertThat(tt.nextRun(null, now)).contains(new NextRun(
                        iv("2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z"), at("2024-06-02T00:00:00Z")));
            }
        }

        @Test
        void theScheduleFollowsTheLastAutomatedRunAndRealignsAfterAScheduleChange() {
            Timetable tt = timetable("0 16 * * *", "2024-01-01T00:00:00Z", true);
            // The last run was made under an earlier @daily schedule: continue from the last 16:00 before its end.
            DataInterval old = iv("2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z");
            assertThat(tt.nextRun(old, at("2024-03-05T00:00:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-03-01T16:00:00Z", "2024-03-02T16:00:00Z"));
        }

        @Test
        void weekdayAndMonthlyExpressions() {
            Timetable weekdays = timetable("0 9 * * 1-5", "2024-05-03T00:00:00Z", true); // a Friday
            assertThat(drain(weekdays, null, at("2024-05-08T10:00:00Z"))).extracting(DataInterval::start)
                    .containsExactly(at("2024-05-03T09:00:00Z"), at("2024-05-06T09:00:00Z"), at("2024-05-07T09:00:00Z"));
            assertThat(weekdays.manualInterval(at("2024-05-06T08:00:00Z")))
                    .isEqualTo(iv("2024-05-02T09:00:00Z", "2024-05-03T09:00:00Z"));
            Timetable monthly = timetable("@monthly", "2024-01-15T00:00:00Z", true);
            assertThat(monthly.nextRun(null, at("2024-01-20T00:00:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
        }
    }

    @Nested
    class OnceAndNone {
        @Test
        void onceRunsAtTheStartDateWithAZeroLengthIntervalAndNeverAgain() {
            for (boolean catchup : new boolean[]{true, false}) {
                Timetable tt = timetable("@once", "2024-05-01T12:00:00Z", catchup);
                DataInterval once = iv("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z");
                assertThat(tt.nextRun(null, at("2024-04-01T00:00:00Z")))
                        .contains(new NextRun(once, at("2024-05-01T12:00:00Z")));
                assertThat(tt.dueRun(null, at("2024-05-01T11:59:59Z"))).isEmpty();
                assertThat(tt.dueRun(null, at("2024-05-01T12:00:00Z"))).contains(once);
                assertThat(tt.dueRun(null, at("2025-01-01T00:00:00Z"))).contains(once);
                assertThat(tt.nextRun(once, at("2025-01-01T00:00:00Z"))).isEmpty();
                assertThat(tt.isScheduled()).isTrue();
            }
        }

        @Test
        void theIntervalAfterARunIgnoresStartEndDateAndCatchup() {
            Timetable tt = Timetable.of(dag("0 16 * * *", "UTC", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", false));
            assertThat(tt.intervalAfter(iv("2024-03-01T16:00:00Z", "2024-03-02T16:00:00Z")))
                    .contains(iv("2024-03-02T16:00:00Z", "2024-03-03T16:00:00Z"));
            // A manual run's interval ends off the schedule: the next one starts at the next fire time.
            assertThat(tt.intervalAfter(iv("2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z")))
                    .contains(iv("2024-03-01T16:00:00Z", "2024-03-02T16:00:00Z"));
            assertThat(timetable("@once", "2024-01-01T00:00:00Z", true)
                    .intervalAfter(iv("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"))).isEmpty();
            assertThat(Timetable.of(dag(null, "UTC", null, null, true))
                    .intervalAfter(iv("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"))).isEmpty();
        }

        @Test
        void noScheduleMeansNoScheduledRuns() {
            Timetable tt = Timetable.of(dag(null, "UTC", null, null, true));
            assertThat(tt.isScheduled()).isFalse();
            assertThat(tt.nextRun(null, at("2024-05-10T00:00:00Z"))).isEmpty();
            assertThat(tt.dueRun(null, at("2024-05-10T00:00:00Z"))).isEmpty();
            assertThat(tt.intervalsBetween(at("2024-01-01T00:00:00Z"), at("2024-02-01T00:00:00Z"))).isEmpty();
            assertThat(tt.logicalDatesNear(at("2024-01-01T00:00:00Z"), 3)).isEmpty();
        }
    }

    @Nested
    class FixedInterval {
        @Test
        void intervalsStartExactlyAtTheStartDateAndStepByTheDuration() {
            Timetable tt = timetable("PT5H", "2024-05-01T01:07:00Z", true);
            assertThat(drain(tt, null, at("2024-05-01T12:00:00Z"))).containsExactly(
                    iv("2024-05-01T01:07:00Z", "2024-05-01T06:07:00Z"),
                    iv("2024-05-01T06:07:00Z", "2024-05-01T11:07:00Z"));
            assertThat(tt.nextRun(iv("2024-05-01T06:07:00Z", "2024-05-01T11:07:00Z"), at("2024-05-01T12:00:00Z")))
                    .contains(new NextRun(iv("2024-05-01T11:07:00Z", "2024-05-01T16:07:00Z"),
                            at("2024-05-01T16:07:00Z")));
        }

        @Test
        void catchupOffPicksTheLatestCompletedIntervalOnTheStartDateGrid() {
            Timetable tt = timetable("PT5H", "2024-05-01T01:00:00Z", false);
            // now is 23 h after the start: intervals end at +5, +10, +15, +20 h; the latest complete is [+15, +20).
            assertThat(drain(tt, null, at("2024-05-02T00:00:00Z")))
                    .containsExactly(iv("2024-05-01T16:00:00Z", "2024-05-01T21:00:00Z"));
            // Before the first interval ended: the first one, not yet due.
            assertThat(tt.nextRun(null, at("2024-05-01T03:00:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-05-01T01:00:00Z", "2024-05-01T06:00:00Z"));
        }

        @Test
        void theIntervalAfterARunHasTheSameLengthFromItsEnd() {
            assertThat(timetable("PT5H", "2024-05-01T01:00:00Z", true)
                    .intervalAfter(iv("2024-05-01T01:00:00Z", "2024-05-01T06:00:00Z")))
                    .contains(iv("2024-05-01T06:00:00Z", "2024-05-01T11:00:00Z"));
        }

        @Test
        void aFixedIntervalIsElapsedTimeEvenInADstZone() {
            Timetable tt = Timetable.of(dag("P1D", "Europe/Amsterdam", "2024-03-30T00:00:00Z", null, true));
            assertThat(tt.intervalsBetween(at("2024-03-30T00:00:00Z"), at("2024-04-01T00:00:00Z")))
                    .extracting(DataInterval::start).containsExactly(
                            at("2024-03-30T00:00:00Z"), at("2024-03-31T00:00:00Z"), at("2024-04-01T00:00:00Z"));
        }
    }

    @Nested
    class Manual {
        @Test
        void cronManualRunCoversTheLastCompleteInterval() {
            Timetable daily = timetable("@daily", "2024-01-01T00:00:00Z", true);
            // B6.9 example.
            assertThat(daily.manualInterval(at("2024-05-10T13:45:00Z")))
                    .isEqualTo(iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            assertThat(daily.manualInterval(at("2024-05-10T00:00:00Z")))
                    .isEqualTo(iv("2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"));
            assertThat(timetable("0 16 * * *", "2024-01-01T00:00:00Z", true).manualInterval(at("2024-05-10T13:45:00Z")))
                    .isEqualTo(iv("2024-05-08T16:00:00Z", "2024-05-09T16:00:00Z"));
        }

        @Test
        void otherSchedulesManualIntervals() {
            Instant logical = at("2024-05-10T13:45:12Z");
            assertThat(timetable("PT5H", "2024-01-01T00:00:00Z", true).manualInterval(logical))
                    .isEqualTo(new DataInterval(at("2024-05-10T08:45:12Z"), logical));
            assertThat(timetable("@once", "2024-01-01T00:00:00Z", true).manualInterval(logical))
                    .isEqualTo(new DataInterval(logical, logical));
            assertThat(Timetable.of(dag(null, "UTC", null, null, true)).manualInterval(logical))
                    .isEqualTo(new DataInterval(logical, logical));
        }
    }

    @Nested
    class Backfill {
        @Test
        void intervalsWhoseLogicalDateIsInTheInclusiveRange() {
            Timetable tt = timetable("@daily", "2023-01-01T00:00:00Z", true);
            assertThat(tt.intervalsBetween(at("2024-01-01T00:00:00Z"), at("2024-01-03T00:00:00Z"))).containsExactly(
                    iv("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
                    iv("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"),
                    iv("2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z"));
            // Cron points are aligned as for scheduled runs.
            assertThat(tt.intervalsBetween(at("2024-01-01T10:00:00Z"), at("2024-01-02T10:00:00Z")))
                    .containsExactly(iv("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"));
            assertThat(tt.intervalsBetween(at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"))).isEmpty();
            assertThat(tt.intervalsBetween(at("2024-01-01T00:00:00Z"), at("2024-01-01T00:00:00Z")))
                    .containsExactly(iv("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"));
        }

        @Test
        void fixedIntervalBackfillUsesTheSameGridAsTheScheduler() {
            Timetable tt = timetable("PT5H", "2024-05-01T01:00:00Z", true);
            assertThat(tt.intervalsBetween(at("2024-05-01T00:00:00Z"), at("2024-05-01T12:00:00Z")))
                    .extracting(DataInterval::start)
                    .containsExactly(at("2024-05-01T01:00:00Z"), at("2024-05-01T06:00:00Z"), at("2024-05-01T11:00:00Z"));
        }

        @Test
        void onceBackfillHasItsSingleIntervalOnlyWhenInRange() {
            Timetable tt = timetable("@once", "2024-05-01T12:00:00Z", true);
            assertThat(tt.intervalsBetween(at("2024-05-01T00:00:00Z"), at("2024-05-02T00:00:00Z")))
                    .containsExactly(iv("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"));
            assertThat(tt.intervalsBetween(at("2024-05-02T00:00:00Z"), at("2024-05-03T00:00:00Z"))).isEmpty();
        }

        @Test
        void refusesTooManyIntervalsAndAnInvertedRange() {
            Timetable everyMinute = timetable("* * * * *", "2020-01-01T00:00:00Z", true);
            assertThatThrownBy(() -> everyMinute.intervalsBetween(at("2023-01-01T00:00:00Z"), at("2024-01-01T00:00:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than 100000 schedule intervals");
            assertThatThrownBy(() -> everyMinute.intervalsBetween(at("2024-01-02T00:00:00Z"), at("2024-01-01T00:00:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("after it ends");
        }
    }

    @Nested
    class NearbyLogicalDates {
        @Test
        void datesOnBothSidesInAscendingOrder() {
            Timetable tt = timetable("@daily", "2024-01-01T00:00:00Z", true);
            assertThat(tt.logicalDatesNear(at("2024-05-10T13:45:00Z"), 2)).containsExactly(
                    at("2024-05-09T00:00:00Z"), at("2024-05-10T00:00:00Z"),
                    at("2024-05-11T00:00:00Z"), at("2024-05-12T00:00:00Z"));
            // A date on the schedule counts as "at/after".
            assertThat(tt.logicalDatesNear(at("2024-05-10T00:00:00Z"), 1))
                    .containsExactly(at("2024-05-09T00:00:00Z"), at("2024-05-10T00:00:00Z"));
        }

        @Test
        void onlyDatesTheDagReallyHasBetweenStartAndEnd() {
            Timetable tt = Timetable.of(dag("@daily", "UTC", "2024-01-01T10:00:00Z", "2024-01-04T00:00:00Z", true));
            assertThat(tt.logicalDatesNear(at("2024-01-01T00:00:00Z"), 3))
                    .containsExactly(at("2024-01-02T00:00:00Z"), at("2024-01-03T00:00:00Z"), at("2024-01-04T00:00:00Z"));
            assertThat(tt.logicalDatesNear(at("2024-03-01T00:00:00Z"), 2))
                    .containsExactly(at("2024-01-03T00:00:00Z"), at("2024-01-04T00:00:00Z"));
            assertThat(timetable("@once", "2024-05-01T12:00:00Z", true).logicalDatesNear(at("2024-06-01T00:00:00Z"), 5))
                    .containsExactly(at("2024-05-01T12:00:00Z"));
            assertThat(tt.logicalDatesNear(at("2024-01-02T00:00:00Z"), 0)).isEmpty();
        }
    }

    @Nested
    class TimeZones {
        static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

        Timetable amsterdam(String schedule, String start) {
            return Timetable.of(dag(schedule, "Europe/Amsterdam", start, null, true));
        }

        @Test
        void cronIsEvaluatedInTheDagsZone() {
            Timetable tt = amsterdam("0 16 * * *", "2024-01-10T00:00:00Z");
            // Winter: 16:00 CET = 15:00 UTC; summer: 16:00 CEST = 14:00 UTC.
            assertThat(tt.nextRun(null, at("2024-01-10T00:00:00Z")).orElseThrow().interval())
                    .isEqualTo(iv("2024-01-10T15:00:00Z", "2024-01-11T15:00:00Z"));
            assertThat(tt.manualInterval(at("2024-07-10T15:00:00Z")))
                    .isEqualTo(iv("2024-07-09T14:00:00Z", "2024-07-10T14:00:00Z"));
        }

        @Test
        void springForwardShiftsANonExistentTimeForwardAndFiresOnce() {
            // 2024-03-31: 02:00 CET → 03:00 CEST, so 02:30 does not exist that day.
            Timetable tt = amsterdam("30 2 * * *", "2024-03-29T00:00:00Z");
            List<DataInterval> created = drain(tt, null, at("2024-04-03T00:00:00Z"));
            assertThat(created).extracting(DataInterval::start).containsExactly(
                    at("2024-03-29T01:30:00Z"),  // 02:30 CET
                    at("2024-03-30T01:30:00Z"),  // 02:30 CET
                    at("2024-03-31T01:30:00Z"),  // 03:30 CEST: shifted by the one-hour gap
                    at("2024-04-01T00:30:00Z")); // 02:30 CEST
            assertThat(created.get(2).start().atZone(AMSTERDAM).toLocalTime()).hasToString("03:30");
            assertThat(created).filteredOn(i -> i.start().atZone(AMSTERDAM).toLocalDate().toString().equals("2024-03-31"))
                    .hasSize(1);
        }

        @Test
        void fallBackFiresARepeatedTimeOnceAtTheEarlierOffset() {
            // 2024-10-27: 03:00 CEST → 02:00 CET, so 02:30 happens twice that day.
            Timetable tt = amsterdam("30 2 * * *", "2024-10-25T00:00:00Z");
            List<DataInterval> created = drain(tt, null, at("2024-10-29T02:00:00Z"));
            assertThat(created).extracting(DataInterval::start).containsExactly(
                    at("2024-10-25T00:30:00Z"),  // 02:30 CEST
                    at("2024-10-26T00:30:00Z"),  // 02:30 CEST
                    at("2024-10-27T00:30:00Z"),  // 02:30 CEST, the first of the two
                    at("2024-10-28T01:30:00Z")); // 02:30 CET
            assertThat(created.get(2).start().atZone(AMSTERDAM).getOffset()).hasToString("+02:00");
            assertThat(created.get(2).end()).isEqualTo(at("2024-10-28T01:30:00Z")); // a 25-hour interval
        }

        @Test
        void hourlySchedulesStayHourlyAcrossBothTransitions() {
            Timetable tt = amsterdam("@hourly", "2024-01-01T00:00:00Z");
            for (String day : new String[]{"2024-03-31", "2024-10-27"}) {
                List<DataInterval> hours = tt.intervalsBetween(at(day + "T00:00:00Z"), at(day + "T03:00:00Z"));
                assertThat(hours).extracting(DataInterval::start).containsExactly(at(day + "T00:00:00Z"),
                        at(day + "T01:00:00Z"), at(day + "T02:00:00Z"), at(day + "T03:00:00Z"));
                assertThat(hours).allSatisfy(h ->
                        assertThat(java.time.Duration.between(h.start(), h.end())).hasHours(1));
            }
        }
    }

    @Nested
    class Description {
        String describe(String schedule) {
            return timetable(schedule, "2024-01-01T00:00:00Z", true).description();
        }

        @Test
        void commonShapes() {
            assertThat(describe("0 16 * * *")).isEqualTo("At 16:00");
            assertThat(describe("@daily")).isEqualTo("At 00:00");
            assertThat(describe("@hourly")).isEqualTo("At 0 minutes past the hour");
            assertThat(describe("@weekly")).isEqualTo("At 00:00, only on Sunday");
            assertThat(describe("@monthly")).isEqualTo("At 00:00, on day 1 of the month");
            assertThat(describe("@quarterly")).isEqualTo("At 00:00, on day 1 of the month, every 3 months");
            assertThat(describe("@yearly")).isEqualTo("At 00:00, on day 1 of the month, only in January");
            assertThat(describe("*/5 * * * *")).isEqualTo("Every 5 minutes");
            assertThat(describe("* * * * *")).isEqualTo("Every minute");
            assertThat(describe("15 */2 * * *")).isEqualTo("At 15 minutes past the hour, every 2 hours");
            assertThat(describe("30 9,17 * * MON-FRI")).isEqualTo("At 09:30 and 17:30, Monday through Friday");
            assertThat(describe("0 9 * * 1,3,5")).isEqualTo("At 09:00, only on Monday, Wednesday and Friday");
            assertThat(describe("0 9 1,15 * 5")).isEqualTo("Cron: 0 9 1,15 * 5");
            assertThat(describe("PT5H")).isEqualTo("Every 5 hours");
            assertThat(describe("P1D")).isEqualTo("Every day");
            assertThat(describe("PT90M")).isEqualTo("Every 90 minutes");
            assertThat(describe("@once")).isEqualTo("Once, at 2024-01-01T00:00:00Z");
            assertThat(Timetable.of(dag(null, "UTC", null, null, true)).description())
                    .isEqualTo("Never, external triggers only");
            assertThat(Timetable.of(dag("30 2 * * *", "Europe/Amsterdam", "2024-01-01T00:00:00Z", null, true))
                    .description()).isEqualTo("At 02:30 (Europe/Amsterdam)");
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsWhatCannotBeATimetable() {
            assertThatThrownBy(() -> Timetable.of(dag("0 25 * * *", "UTC", "2024-01-01T00:00:00Z", null, true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 25 * * *");
            assertThatThrownBy(() -> Timetable.of(dag("@fortnightly", "UTC", "2024-01-01T00:00:00Z", null, true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown schedule preset");
            assertThatThrownBy(() -> Timetable.of(dag("0 0 30 2 *", "UTC", "2024-01-01T00:00:00Z", null, true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never fires");
            assertThatThrownBy(() -> Timetable.of(dag("@daily", "UTC", null, null, true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start date");
            assertThatThrownBy(() -> Timetable.of(dag("@daily", "Mars/Olympus", "2024-01-01T00:00:00Z", null, true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Mars/Olympus");
        }
    }
}
