package dev.weft.spi.dag;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs a sensor task: the same rules for every sensor (Airflow's BaseSensorOperator).
 *
 * @param mode               poke (holds its slots while waiting) or reschedule (frees them)
 * @param pokeInterval       the wait between pokes (default 60 s)
 * @param timeout            the sensor fails (or is skipped with {@code softFail}) once this much time has passed
 *                           since its first poke (default 7 days)
 * @param softFail           a poke that fails makes the task {@code skipped} instead of {@code failed}: a timeout,
 *                           a {@code PokeResult.Failed} or a {@code TaskFailException} at once, any other error once
 *                           the task's retries are used
 * @param exponentialBackoff grow the wait between pokes exponentially, with a deterministic jitter
 * @param maxWait            the longest wait when backing off exponentially; {@code null} for no cap
 */
public record SensorSettings(SensorMode mode, Duration pokeInterval, Duration timeout, boolean softFail,
                             boolean exponentialBackoff, Duration maxWait) {

    public static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

    public static final SensorSettings DEFAULTS =
            new SensorSettings(SensorMode.POKE, DEFAULT_POKE_INTERVAL, DEFAULT_TIMEOUT, false, false, null);

    public SensorSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(pokeInterval, "poke_interval");
        Objects.requireNonNull(timeout, "timeout");
        if (pokeInterval.isNegative()) {
            throw new IllegalArgumentException("poke_interval must not be negative, got " + pokeInterval);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        if (maxWait != null && maxWait.isNegative()) {
            throw new IllegalArgumentException("max_wait must not be negative, got " + maxWait);
        }
    }
}
