package dev.weft.engine.store;

import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * How a claimed try ended, written back in a batch. {@code state} is success, skipped, failed, up_for_retry or
 * up_for_reschedule; {@code nextAttemptAt} is set for the last two. For a reschedule the sensor fields are kept and
 * the try's reschedule count grows; otherwise the try is recorded in the task's history (and its reschedules, if
 * any, as one task_reschedule row).
 *
 * @param logDigest  the digest of the latest poke's log lines that were written (null: none to compare with)
 * @param logRepeats the pokes since then whose lines were the same and were counted, not written
 * @param skipTasks  tasks of the run a branching success skips: those still waiting (none or scheduled) become
 *                   skipped when this outcome is written
 * @param callback   the callbacks this outcome calls for, stored with it when it is written (null: none)
 */
public record TryOutcome(long id, long runPk, int tryNumber, TaskState state, Instant startDate, Instant endDate,
                         Instant nextAttemptAt, String outputJson, Instant firstPokeAt, int pokeCount,
                         Map<String, String> sensorMemo, String plugin, String pluginVersion, String logDigest,
                         int logRepeats, Set<String> skipTasks, CallbackRequest callback) {
    public TryOutcome {
        skipTasks = skipTasks == null ? Set.of() : Set.copyOf(skipTasks);
    }

    /** An outcome with no repeated poke answers to count, that skips no other task and calls no callbacks. */
    public TryOutcome(long id, long runPk, int tryNumber, TaskState state, Instant startDate, Instant endDate,
                      Instant nextAttemptAt, String outputJson, Instant firstPokeAt, int pokeCount,
                      Map<String, String> sensorMemo, String plugin, String pluginVersion) {
        this(id, runPk, tryNumber, state, startDate, endDate, nextAttemptAt, outputJson, firstPokeAt, pokeCount,
                sensorMemo, plugin, pluginVersion, null, 0, Set.of(), null);
    }

    /** This outcome with the callbacks it calls for. */
    public TryOutcome withCallback(CallbackRequest request) {
        return new TryOutcome(id, runPk, tryNumber, state, startDate, endDate, nextAttemptAt, outputJson, firstPokeAt,
                pokeCount, sensorMemo, plugin, pluginVersion, logDigest, logRepeats, skipTasks, request);
    }
}
