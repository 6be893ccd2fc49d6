package dev.weft.engine.schedule;

import com.cronutils.model.time.ExecutionTime;
import dev.weft.spi.dag.Schedules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@link CronGrid}'s segment arithmetic against the DST policy stated directly: enumerate every wall
 * minute around a transition, keep those the expression matches, resolve each with
 * {@code ZonedDateTime.ofLocal(wall, zone, null)} (gap: shifted forward; overlap: earlier offset) and, for
 * expressions with hour {@code *}, also at the later offset of an overlap.
 */
class CronGridTest {

    @ParameterizedTest(name = "{0} in {1} around {2}")
    @CsvSource(delimiter = '|', value = {
            "30 2 * * *      | Europe/Amsterdam    | 2024-03-31T01:00:00Z",
            "30 2 * * *      | Europe/Amsterdam    | 2024-10-27T01:00:00Z",
            "0 2 * * *       | Europe/Amsterdam    | 2024-03-31T01:00:00Z",
            "0 3 * * *       | Europe/Amsterdam    | 2024-03-31T01:00:00Z",
            "0 3 * * *       | Europe/Amsterdam    | 2024-10-27T01:00:00Z",
            "59 1 * * *      | Europe/Amsterdam    | 2024-10-27T01:00:00Z",
            "15,45 1-3 * * * | Europe/Amsterdam    | 2024-03-31T01:00:00Z",
            "15,45 1-3 * * * | Europe/Amsterdam    | 2024-10-27T01:00:00Z",
            "*/20 * * * *    | Europe/Amsterdam    | 2024-03-31T01:00:00Z",
            "*/20 * * * *    | Europe/Amsterdam    | 2024-10-27T01:00:00Z",
            "0 * * * *       | America/New_York    | 2024-11-03T06:00:00Z",
            "0 0 * * *       | America/Sao_Paulo   | 2018-11-04T03:00:00Z",
            "0 0 * * *       | America/Sao_Paulo   | 2019-02-17T02:00:00Z",
            "*/15 * * * *    | Australia/Lord_Howe | 2024-10-05T15:30:00Z",
            "20,40 2 * * *   | Australia/Lord_Howe | 2024-10-05T15:30:00Z",
            "20,40 1 * * *   | Australia/Lord_Howe | 2024-04-06T15:00:00Z",
            "0 9 * * 1-5     | UTC                 | 2024-04-01T01:00:00Z",
    })
    void stepsThroughExactlyThePointsThePolicyDefines(String expression, String zoneId, String transition) {
        ZoneId zone = ZoneId.of(zoneId);
        Instant around = Instant.parse(transition);
        CronGrid grid = new CronGrid(expression.trim(), zone);
        NavigableSet<Instant> expected = bruteForce(expression.trim(), zone, around);

        Instant from = around.minusSeconds(86_400);
        Instant to = around.plusSeconds(86_400);
        List<Instant> forward = new ArrayList<>();
        for (Optional<Instant> p = grid.after(from); p.isPresent() && p.get().isBefore(to); p = grid.after(p.get())) {
            forward.add(p.get());
        }
        List<Instant> backward = new ArrayList<>();
        for (Optional<Instant> p = grid.before(to); p.isPresent() && p.get().isAfter(from); p = grid.before(p.get())) {
            backward.add(0, p.get());
        }
        List<Instant> want = List.copyOf(expected.subSet(from, false, to, false));
        assertThat(want).isNotEmpty();
        assertThat(forward).isEqualTo(want);
        assertThat(backward).isEqualTo(want);
        for (Instant p : want) {
            assertThat(grid.atOrAfter(p)).contains(p);
            assertThat(grid.atOrBefore(p)).contains(p);
        }
    }

    private static NavigableSet<Instant> bruteForce(String expression, ZoneId zone, Instant around) {
        ExecutionTime cron = ExecutionTime.forCron(Schedules.cronParser().parse(expression));
        boolean everyHour = expression.split("\\s+")[1].equals("*");
        NavigableSet<Instant> points = new TreeSet<>();
        LocalDateTime wall = LocalDateTime.ofInstant(around, ZoneOffset.UTC).minusDays(2).withSecond(0).withNano(0);
        LocalDateTime end = wall.plusDays(4);
        for (; wall.isBefore(end); wall = wall.plusMinutes(1)) {
            if (!cron.isMatch(wall.atZone(ZoneOffset.UTC))) {
                continue;
            }
            ZonedDateTime resolved = ZonedDateTime.ofLocal(wall, zone, null);
            points.add(resolved.toInstant());
            if (everyHour) {
                points.add(resolved.withLaterOffsetAtOverlap().toInstant());
            }
        }
        return points;
    }
}
