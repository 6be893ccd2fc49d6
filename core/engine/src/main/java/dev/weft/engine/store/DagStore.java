package dev.weft.engine.store;

import dev.weft.spi.DataInterval;
import dev.weft.spi.dag.DagSpec;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Registered DAGs. */
public interface DagStore {
    /**
     * Registers a DAG or updates its spec; a new DAG starts paused when {@code pausedIfNew}. A changed spec marks
     * the DAG's next run for recomputation. Returns true when the DAG was new or its spec changed.
     */
    default boolean upsert(DagSpec spec, String specHash, String fileloc, boolean pausedIfNew, Instant parsedAt) {
        return upsert(spec, specHash, fileloc, List.of(), pausedIfNew, parsedAt);
    }

    /** As {@link #upsert(DagSpec, String, String, boolean, Instant)}, for a DAG whose code is in {@code bundles}. */
    boolean upsert(DagSpec spec, String specHash, String fileloc, List<BundleRef> bundles, boolean pausedIfNew,
                   Instant parsedAt);

    Optional<DagRecord> find(String dagId);

    /** What a DAG is without its spec: cheap to read on every trigger and cache check. */
    record DagHeader(String dagId, String specHash, boolean paused, boolean active) {
    }

    Optional<DagHeader> header(String dagId);

    List<DagRecord> listAll();

    /** The active DAGs that feed datasets from folders; the others' specs are not read. */
    List<DagRecord> activeWithDatasetFeeds();

    /** The ids of active DAGs defined by a file under {@code folder} (no spec is read). */
    List<String> activeIdsUnder(String folder);

    /** Active, unpaused DAGs whose next run is due at {@code now} or must be recomputed. */
    List<DagRecord> dueForScheduling(Instant now);

    /** Records the next scheduled run (null interval: none) and clears the recomputation mark. */
    void setNextRun(String dagId, DataInterval next, Instant createAfter);

    /** Records since when the DAG's slots are all held by poke-mode sensors (null: no longer). */
    void setSensorDeadlock(String dagId, Instant since);

    /**
     * Records since when every slot of a resource all DAGs share ({@code parallelism}, {@code worker_slots}) is held
     * by poke-mode sensors (null: no longer).
     */
    void setCrossDagSensorDeadlock(String resource, Instant since);

    /** Returns false when the DAG does not exist. */
    boolean setPaused(String dagId, boolean paused);

    /** Marks every active DAG whose id is not in {@code keep} as inactive; returns how many. */
    int deactivateOthers(Collection<String> keep);

    /**
     * Marks the given DAGs inactive (their source no longer defines them): history is kept, the scheduler stops
     * creating runs, and lists hide them by default. Registering a DAG again makes it active. Returns how many.
     */
    int deactivate(Collection<String> dagIds);
}
