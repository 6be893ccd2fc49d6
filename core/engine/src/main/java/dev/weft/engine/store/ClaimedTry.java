package dev.weft.engine.store;

import java.time.Instant;
import java.util.Map;

/**
 * A task instance a worker has claimed and moved to running, with what it needs to run the try: for a sensor, its
 * pokes so far and the digest and count of its latest repeated log answer (see {@link TryOutcome}), with when the
 * latest rescheduled poke ended.
 */
public record ClaimedTry(long id, long runPk, String dagId, String runId, String taskId, int tryNumber, int maxTries,
                         String operator, Instant startDate, Instant firstPokeAt, int pokeCount,
                         Map<String, Object> sensorMemo, String logDigest, int logRepeats, Instant lastRescheduleAt) {
}
