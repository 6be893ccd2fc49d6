package dev.weft.engine.store;

import java.util.List;
import java.util.Optional;

/** Pools of slots that limit how many task instances run at once. */
public interface PoolStore {
    record Pool(String name, int slots, String description, boolean includeDeferred) {
    }

    /** A pool's slots in use: running and queued task instances occupy slots; scheduled ones only wait. */
    record PoolUsage(String name, int slots, int occupied, int running, int queued, int scheduled) {
        /** The slots left (negative when the pool was shrunk below what is in use). */
        public int open() {
            return slots - occupied;
        }
    }

    /**
     * A task (with {@code runId}: a scheduled task instance) whose pool does not exist ({@code poolSize} null) or
     * has fewer slots than it needs: no free slot can ever queue it.
     */
    record Shortage(String dagId, String runId, String taskId, String pool, int poolSlots, Integer poolSize) {
    }

    List<Pool> list();

    Optional<Pool> find(String name);

    void upsert(Pool pool);

    boolean delete(String name);

    List<PoolUsage> usage();

    /** Scheduled task instances whose pool does not exist or is smaller than their {@code pool_slots}. */
    List<Shortage> shortOfSlots();

    /** The same of the tasks of active DAGs: known before any run, from the DAGs as registered. */
    List<Shortage> tasksShortOfSlots();

    /** Records since when the pool's slots are all held by poke-mode sensors (null: no longer). */
    void setSensorDeadlock(String name, java.time.Instant since);
    /** Creates a pool; false when the name is taken. */
    boolean create(Pool pool);

    /** Replaces the pool called {@code name} (which may rename it); false when there is none. */
    boolean update(String name, Pool pool);
}
