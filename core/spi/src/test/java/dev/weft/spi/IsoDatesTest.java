package dev.weft.spi;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IsoDatesTest {
    @Test
    void writesMicrosecondsOnlyWhenNotZero() {
        assertThat(IsoDates.isoformat(Instant.parse("2024-01-01T00:00:00Z"))).isEqualTo("2024-01-01T00:00:00+00:00");
        assertThat(IsoDates.isoformat(Instant.parse("2024-01-01T00:00:00.000123Z")))
                .isEqualTo("2024-01-01T00:00:00.000123+00:00");
        assertThat(IsoDates.isoformat(Instant.parse("2024-01-01T00:00:00.1Z")))
                .isEqualTo("2024-01-01T00:00:00.100000+00:00");
        assertThat(IsoDates.isoformat(Instant.parse("2024-01-01T23:59:59.999999Z")))
                .isEqualTo("2024-01-01T23:59:59.999999+00:00");
        assertThat(IsoDates.isoformat(Instant.parse("2024-01-01T00:00:00.000000999Z")))
                .isEqualTo("2024-01-01T00:00:00+00:00");
    }

    @Test
    void readsOffsetsNaiveDatesAndBareDates() {
        assertThat(IsoDates.parse("2024-05-10T13:45:12+02:00")).isEqualTo(Instant.parse("2024-05-10T11:45:12Z"));
        assertThat(IsoDates.parse("2024-05-10T13:45:12")).isEqualTo(Instant.parse("2024-05-10T13:45:12Z"));
        assertThat(IsoDates.parse("2024-05-10")).isEqualTo(Instant.parse("2024-05-10T00:00:00Z"));
    }
}
