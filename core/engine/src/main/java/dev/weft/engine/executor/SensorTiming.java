package dev.weft.engine.executor;

import dev.weft.spi.dag.SensorSettings;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/** How long a sensor waits before its next poke: Airflow's rule, exponential backoff with its deterministic jitter. */
final class SensorTiming {
    private SensorTiming() {
    }

    /**
     * The wait after the {@code n}-th unsuccessful poke (n = 1, 2, …), never past the timeout.
     *
     * @param key       {@code dag_id#task_id#started_at}, the jitter's seed (Airflow B1.18)
     * @param requested a wait the sensor asked for, or null
     */
    static Duration nextWait(SensorSettings settings, int n, String key, Duration elapsed, Duration requested) {
        long seconds;
        if (requested != null) {
            seconds = Math.max(0, requested.toSeconds());
        } else if (settings.exponentialBackoff()) {
            long base = Math.max((long) Math.floor(settings.pokeInterval().toSeconds() * Math.pow(2, n - 2)), 1);
            seconds = base + sha1(key + "#" + n).mod(BigInteger.valueOf(base)).longValue();
        } else {
            return capped(settings.pokeInterval(), settings, elapsed);
        }
        return capped(Duration.ofSeconds(seconds), settings, elapsed);
    }

    private static Duration capped(Duration wait, SensorSettings settings, Duration elapsed) {
        Duration left = settings.timeout().minus(Duration.ofSeconds(elapsed.toSeconds()));
        if (left.isNegative()) {
            left = Duration.ZERO;
        }
        Duration result = wait.compareTo(left) > 0 ? left : wait;
        if (settings.exponentialBackoff() && settings.maxWait() != null && !settings.maxWait().isZero()
                && result.compareTo(settings.maxWait()) > 0) {
            result = settings.maxWait();
        }
        return result;
    }

    private static BigInteger sha1(String text) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
