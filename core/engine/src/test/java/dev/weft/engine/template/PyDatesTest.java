package dev.weft.engine.template;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class PyDatesTest {
    @Test
    void isoformatOmitsTheFractionWhenMicrosecondsAreZero() {
        assertThat(PyDates.isoformat(Instant.parse("2026-11-20T00:00:00Z"))).isEqualTo("2026-11-20T00:00:00+00:00");
        assertThat(TemplateContext.isoformat(Instant.parse("2018-01-01T00:00:00Z"))).isEqualTo("2018-01-01T00:00:00+00:00");
    }

    @Test
    void isoformatWritesSixDigitsOfMicroseconds() {
        assertThat(PyDates.isoformat(Instant.parse("2024-05-10T13:45:12.123456Z")))
                .isEqualTo("2024-05-10T13:45:12.123456+00:00");
        assertThat(PyDates.isoformat(Instant.parse("2024-05-10T13:45:12.5Z")))
                .isEqualTo("2024-05-10T13:45:12.500000+00:00");
        assertThat(PyDates.isoformat(Instant.parse("2024-05-10T13:45:12.000001Z")))
                .isEqualTo("2024-05-10T13:45:12.000001+00:00");
    }

    @Test
    void isoformatDropsNanosecondsBelowTheMicrosecond() {
        assertThat(PyDates.isoformat(Instant.parse("2024-05-10T13:45:12.123456789Z")))
                .isEqualTo("2024-05-10T13:45:12.123456+00:00");
        assertThat(PyDates.isoformat(Instant.parse("2024-05-10T13:45:12.000000999Z")))
                .isEqualTo("2024-05-10T13:45:12+00:00");
    }

    @Test
    void runIdFormat() {
        assertThat("scheduled__" + TemplateContext.isoformat(Instant.parse("2026-11-20T00:00:00Z")))
                .isEqualTo("scheduled__2026-11-20T00:00:00+00:00");
    }

    @Test
    void isoformatOfOtherOffsetsAndNaiveValues() {
        assertThat(PyDates.isoformat(Instant.parse("2026-07-01T10:00:00Z").atZone(ZoneId.of("Europe/Amsterdam")), 'T'))
                .isEqualTo("2026-07-01T12:00:00+02:00");
        assertThat(PyDates.isoformat(Instant.parse("2026-07-01T10:00:00Z").atOffset(ZoneOffset.ofHoursMinutes(-5, -30)), ' '))
                .isEqualTo("2026-07-01 04:30:00-05:30");
        assertThat(PyDates.isoformat(LocalDateTime.of(2026, 7, 1, 4, 5, 6, 7000), 'T')).isEqualTo("2026-07-01T04:05:06.000007");
    }

    @Test
    void dateStringsOfTheContext() {
        Instant t = Instant.parse("2018-01-01T00:00:00Z");
        assertThat(PyDates.ds(t)).isEqualTo("2018-01-01");
        assertThat(PyDates.dsNodash(t)).isEqualTo("20180101");
        assertThat(PyDates.tsNodash(t)).isEqualTo("20180101T000000");
        assertThat(PyDates.tsNodashWithTz(t)).isEqualTo("20180101T000000+0000");
        Instant micros = Instant.parse("2018-01-01T12:34:56.789Z");
        assertThat(PyDates.tsNodash(micros)).isEqualTo("20180101T123456");
        assertThat(PyDates.tsNodashWithTz(micros)).isEqualTo("20180101T123456.789000+0000");
    }
}
