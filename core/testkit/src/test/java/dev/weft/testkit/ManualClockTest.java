package dev.weft.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ManualClockTest {
    @Test
    void movesOnlyWhenTold() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(clock.advance(Duration.ofMinutes(90))).isEqualTo(Instant.parse("2026-03-01T11:30:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-03-01T11:30:00Z").toEpochMilli());
        clock.set(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void aZoneViewSharesTheTime() {
        ManualClock clock = new ManualClock();
        ManualClock seoul = clock.withZone(ZoneId.of("Asia/Seoul"));
        clock.advance(Duration.ofHours(1));
        assertThat(seoul.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofHours(1)));
        assertThat(seoul.getZone()).isEqualTo(ZoneId.of("Asia/Seoul"));
    }

    @Test
    void concurrentAdvancesAreNotLost() throws InterruptedException {
        ManualClock clock = new ManualClock();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advance(Duration.ofSeconds(1));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(4000));
    }
}
