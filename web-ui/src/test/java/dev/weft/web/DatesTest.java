package dev.weft.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DatesTest {
    private static final Instant T = Instant.parse("2026-12-06T16:00:00Z");

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertThat(Dates.duration(T, T.plusMillis(1_250))).isEqualTo("1.25 s");
        assertThat(Dates.duration(T, T.plusMillis(50))).isEqualTo("0.05 s");
        assertThat(Dates.duration(T, T.plusSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(Dates.duration(T, T.plusSeconds(7_260))).isEqualTo("2 h 1 min");
        assertThat(Dates.duration(T, null)).isNull();
        assertThat(Dates.seconds(0.304)).isEqualTo("0.30 s");
        assertThat(Dates.seconds(12.006)).isEqualTo("12.01 s");
    }
}
