package dev.weft.engine;

import dev.weft.engine.store.FinishFollowUp;
import dev.weft.spi.RunState;
import dev.weft.spi.dag.SensorMode;

import java.time.Duration;
import java.util.List;

/**
 * What the engine tells about its own work as it happens, for metrics: the events one process sees (a try written
 * back, a run ended, a scheduler pass, a poke). How many things are in which state (pool slots, waiting sensors,
 * import errors) is not reported here: the server reads that from the database when it is scraped, so that every
 * process tells the same truth. Every method does nothing by default ({@link #NONE}); an implementation must be
 * quick and must not throw, as it is called on the engine's threads.
 */
public interface EngineMetrics {
    /** Why a waiting sensor pokes again. */
    enum WakeCause {
        /** A file event made it due before its poke interval (in this process). */
        FILE_EVENT,
        /** Its poke interval (or its backoff) came due. */
        POLL
    }

    /** No metrics: what the engine's tests and tools use. */
    EngineMetrics NONE = new EngineMetrics() {
    };

    /** Outcomes of tries that a write-back committed (a worker's, or the scheduler's for lost workers). */
    default void triesWritten(List<FinishFollowUp.Written> written) {
    }

    /** A run ended in {@code state}, {@code duration} after it started. */
    default void runFinished(String dagId, RunState state, Duration duration) {
    }

    /** One scheduler pass took {@code duration}. */
    default void schedulerLoop(Duration duration) {
    }

    /** A worker's write-back committed {@code outcomes} tries' outcomes in {@code duration}. */
    default void writeBack(int outcomes, Duration duration) {
    }

    /** A sensor poked (each poke, whatever it answered). */
    default void sensorPoked(SensorMode mode) {
    }

    /** A waiting sensor pokes again, for {@code cause}. */
    default void sensorWoken(WakeCause cause) {
    }

    /** A wake-up notification was sent to other processes on {@code channel} (PostgreSQL NOTIFY). */
    default void wakeupSent(String channel) {
    }

    /** A wake-up notification from another process arrived on {@code channel} (PostgreSQL LISTEN). */
    default void wakeupReceived(String channel) {
    }

    /** The DAG processor read the changed sources of its DAGs folder in {@code duration} (one scan). */
    default void dagFilesProcessed(Duration duration) {
    }
}
