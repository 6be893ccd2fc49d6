package dev.weft.engine.executor;

import dev.weft.spi.dag.SensorSettings;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/** How long a sensor waits before its next poke: Airflow's rule, exponential backoff with its deterministic jitter. */
final class SensorTiming {
    private static final MessageDigest SHA1 = lookUpSha1();

    private SensorTiming() {
    }

    /**
     * The wait after the {@code n}-th unsuccessful poke (n = 1, 2, …), never past the timeout.
     *
     * @param key       {@code dag_id#task_id#started_at}, the jitter's seed (Airflow B1.18); null without a backoff
     * @param requested a wait the sensor asked for, or null
     */
    static Duration nextWait(SensorSettings settings, int n, String key, Duration elapsed, Duration requested) {
        if (requested != null) {
            return atLeastOneSecond(requested);
        }
        if (!settings.exponentialBackoff()) {
            return settings.pokeInterval(); // B1.17: every wait is poke_interval; max_wait is ignored
        }
        long base = Math.max((long) Math.floor(settings.pokeInterval().toSeconds() * Math.pow(2, n - 2)), 1);
        long seconds = base + sha1(key + "#" + n).mod(BigInteger.valueOf(base)).longValue();
        long left = settings.timeout().toSeconds() - elapsed.toSeconds();
        seconds = Math.min(seconds, left);
        if (settings.maxWait() != null && !settings.maxWait().isZero()) {
            seconds = Math.min(seconds, settings.maxWait().toSeconds());
        }
        return atLeastOneSecond(Duration.ofSeconds(seconds));
    }

    // A wait of zero would poke again at the same instant without the clock moving: wait at least a second.
    private static Duration atLeastOneSecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    private static BigInteger sha1(String text) {
        return new BigInteger(1, sha1().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-1 digest: a clone of one looked up once, as the provider lookup costs more than the digest. */
    static MessageDigest sha1() {
        try {
            return (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e); // the JDK's SHA-1 can be cloned
        }
    }

    private static MessageDigest lookUpSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-1
        }
    }
}
