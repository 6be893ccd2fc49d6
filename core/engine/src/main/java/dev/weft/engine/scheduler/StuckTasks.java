package dev.weft.engine.scheduler;

import dev.weft.engine.store.PoolStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks that wait in {@code scheduled} for a pool slot they can never get: their pool does not exist, or it has
 * fewer slots than the task's {@code pool_slots}. Queueing skips them without a word, so they are said here: a
 * warning in the scheduler's log when one is first seen (from the DAG as registered, before any run; and from its
 * scheduled task instances), a line when it is over, and the same explanations for the API.
 *
 * <p>Not an import error: pools are data that the API and the CLI create, resize and delete at any time, and a DAG
 * refused until its pool exists would stay refused (a bundle's DAGs are registered once, at start). Airflow, too,
 * imports such a DAG and warns about the pool.
 */
public final class StuckTasks {
    private static final Logger LOG = LoggerFactory.getLogger(StuckTasks.class);

    public enum Reason { UNKNOWN_POOL, POOL_TOO_SMALL }

    /** One task (with {@code runId}: one task instance) that can never be queued, and what to do about it. */
    public record Stuck(String dagId, String runId, String taskId, String pool, int poolSlots, Integer poolSize,
                        Reason reason, String message) {
    }

    private final PoolStore pools;
    private final Set<String> reported = new HashSet<>();

    StuckTasks(PoolStore pools) {
        this.pools = pools;
    }

    /** Why each of these can never be queued, in words an operator can act on. */
    public static List<Stuck> explain(List<PoolStore.Shortage> shortages) {
        return shortages.stream().map(StuckTasks::explain).toList();
    }

    private static Stuck explain(PoolStore.Shortage s) {
        String task = "task '" + s.taskId() + "' of DAG '" + s.dagId() + "'";
        if (s.poolSize() == null) {
            return new Stuck(s.dagId(), s.runId(), s.taskId(), s.pool(), s.poolSlots(), null, Reason.UNKNOWN_POOL,
                    task + " uses pool '" + s.pool() + "', which does not exist, so it is never queued. Create the "
                    + "pool (weft pools set " + s.pool() + " <slots>, or POST /api/v1/pools) or change the task's "
                    + "pool.");
        }
        return new Stuck(s.dagId(), s.runId(), s.taskId(), s.pool(), s.poolSlots(), s.poolSize(),
                Reason.POOL_TOO_SMALL, task + " needs " + slots(s.poolSlots()) + " of pool '" + s.pool()
                + "', which has " + s.poolSize() + ", so it is never queued. Give the pool at least "
                + slots(s.poolSlots()) + " (weft pools set " + s.pool() + " " + s.poolSlots()
                + ") or lower the task's pool_slots.");
    }

    private static String slots(int n) {
        return n == 1 ? "1 slot" : n + " slots";
    }

    /** Logs what is newly stuck and what no longer is; one line per task and reason while it lasts. */
    void check() {
        Map<String, Stuck> now = new LinkedHashMap<>();
        for (Stuck s : explain(pools.tasksShortOfSlots())) {
            now.put(key(s), s);
        }
        for (Stuck s : explain(pools.shortOfSlots())) {
            now.putIfAbsent(key(s), s); // a DAG changed since the run was made: its task instances tell
        }
        now.forEach((key, s) -> {
            if (reported.add(key)) {
                LOG.warn("Stuck task: {}", s.message());
            }
        });
        for (String key : Set.copyOf(reported)) {
            if (!now.containsKey(key)) {
                reported.remove(key);
                LOG.info("Task {} is no longer short of pool slots", key);
            }
        }
    }

    private static String key(Stuck s) {
        return s.dagId() + "." + s.taskId() + " (pool '" + s.pool() + "', " + s.poolSlots() + " slot(s), "
                + s.reason().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
