package dev.weft.engine.health;

import dev.weft.engine.store.HeartbeatStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler is healthy while one scheduler heartbeat is younger than the threshold; a dead store is reported. */
class HealthTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Schedulers filtered by {@code since}, as the store does; workers null: the store does not answer. */
    private static HeartbeatStore store(List<HeartbeatStore.Heartbeat> schedulers,
                                        List<HeartbeatStore.Heartbeat> workers) {
        return new HeartbeatStore() {
            @Override
            public void schedulerHeartbeat(String schedulerId, String hostname, long pid, Instant now) {
            }

            @Override
            public void schedulerStopped(String schedulerId, Instant now) {
            }

            @Override
            public List<Heartbeat> schedulers(Instant since) {
                return schedulers.stream().filter(h -> h.latestHeartbeat().isAfter(since)).toList();
            }

            @Override
            public List<Heartbeat> workers(Instant since) {
                if (workers == null) {
                    throw new IllegalStateException("connection refused");
                }
                return workers;
            }
        };
    }

    private static HeartbeatStore.Heartbeat beat(String id, Duration ago) {
        return new HeartbeatStore.Heartbeat(id, "host", 1, NOW.minus(Duration.ofHours(1)), NOW.minus(ago));
    }

    private static Health.Report report(HeartbeatStore store) {
        return new Health(store, Duration.ofSeconds(30), Duration.ofSeconds(60), CLOCK).report();
    }

    @Test
    void oneRecentSchedulerHeartbeatIsEnoughAndEachProcessHasItsOwnStatus() {
        Health.Report r = report(store(List.of(beat("a", Duration.ofSeconds(29)), beat("b", Duration.ofMinutes(5))),
                List.of(beat("w", Duration.ofSeconds(61)))));
        assertThat(r.databaseHealthy()).isTrue();
        assertThat(r.schedulerHealthy()).isTrue();
        assertThat(r.latestSchedulerHeartbeat()).isEqualTo(NOW.minusSeconds(29));
        assertThat(r.schedulers()).extracting(Health.Component::healthy).containsExactly(true, false);
        assertThat(r.workers()).extracting(Health.Component::healthy).containsExactly(false);
    }

    @Test
    void aSchedulerSilentForTheThresholdIsUnhealthyAndOneSilentForADayIsNoLongerListed() {
        Health.Report r = report(store(List.of(beat("a", Duration.ofSeconds(30)), beat("b", Duration.ofDays(2))),
                List.of()));
        assertThat(r.schedulerHealthy()).isFalse();
        assertThat(r.schedulers()).extracting(Health.Component::id).containsExactly("a");
        assertThat(report(store(List.of(), List.of())).latestSchedulerHeartbeat()).isNull();
    }

    @Test
    void aStoreThatDoesNotAnswerIsAnUnhealthyMetadatabase() {
        Health.Report r = report(store(List.of(beat("a", Duration.ZERO)), null));
        assertThat(r.databaseHealthy()).isFalse();
        assertThat(r.schedulerHealthy()).isFalse();
    }
}
