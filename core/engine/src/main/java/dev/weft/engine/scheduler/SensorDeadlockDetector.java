package dev.weft.engine.scheduler;

import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.SlotHolder;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.spi.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Notices the sensor deadlock of Airflow's chapter 6: every slot of a DAG ({@code max_active_tasks}), of a pool, of
 * the scheduler's {@code parallelism} or of the live workers is held by poke-mode sensors while other tasks wait for
 * one. Once that has lasted longer than a threshold it is logged with the advice to use reschedule mode and flagged
 * on the DAG, the pool or the shared resource; the flag clears when it ends. A poke-mode sensor is a task of a sensor
 * type in poke mode, set so or by default (a trigger-dag-run task waiting for completion is one).
 */
final class SensorDeadlockDetector {
    private static final Logger LOG = LoggerFactory.getLogger(SensorDeadlockDetector.class);

    private final TaskInstanceStore taskInstances;
    private final DagStore dags;
    private final PoolStore pools;
    private final DagCatalog catalog;
    private final Duration threshold;
    private final int parallelism;
    private final Predicate<String> isSensorType;
    private final Map<String, Instant> dagSince = new HashMap<>();
    private final Map<String, Instant> sharedSince = new HashMap<>();
    private final Set<String> reportedShared = new HashSet<>();
    private final Map<String, Instant> poolSince = new HashMap<>();
    private final Set<String> reportedDags = new HashSet<>();
    private final Set<String> reportedPools = new HashSet<>();

    /**
     * @param parallelism  the scheduler's limit on queued and running task instances over all DAGs
     * @param isSensorType whether a task type id is a sensor type (a sensor task may be declared without settings)
     */
    SensorDeadlockDetector(TaskInstanceStore taskInstances, DagStore dags, PoolStore pools, DagCatalog catalog,
                           Duration threshold, int parallelism, Predicate<String> isSensorType) {
        this.taskInstances = taskInstances;
        this.dags = dags;
        this.pools = pools;
        this.catalog = catalog;
        this.threshold = threshold;
        this.parallelism = parallelism;
        this.isSensorType = isSensorType;
    }

    private static final class Usage {
        int holding;
        int pokingSensors;
        int waiting;
    }

    void check(Instant now) {
        Map<String, Usage> byDag = new HashMap<>();
        Map<String, Usage> byPool = new HashMap<>();
        // Over all DAGs: queued and running against parallelism; running against the workers, for which queued
        // task instances wait (a worker with a free slot claims them within a pass).
        Usage all = new Usage();
        Usage workers = new Usage();
        for (SlotHolder h : taskInstances.slotHolders(now)) {
            Usage dag = byDag.computeIfAbsent(h.dagId(), k -> new Usage());
            Usage pool = byPool.computeIfAbsent(h.pool(), k -> new Usage());
            if (h.state() == TaskState.SCHEDULED) {
                dag.waiting += h.tasks();
                pool.waiting += h.tasks();
                all.waiting += h.tasks();
            } else {
                dag.holding += h.tasks();
                pool.holding += h.slots();
                all.holding += h.tasks();
                if (h.state() == TaskState.QUEUED) {
                    workers.waiting += h.tasks();
                } else {
                    workers.holding += h.tasks();
                }
                if (h.state() == TaskState.RUNNING && isPokeSensor(h.dagId(), h.taskId())) {
                    dag.pokingSensors += h.tasks();
                    pool.pokingSensors += h.slots();
                    all.pokingSensors += h.tasks();
                    workers.pokingSensors += h.tasks();
                }
            }
        }
        Set<String> starvedShared = new HashSet<>();
        if (all.waiting > 0 && all.holding >= parallelism && all.pokingSensors >= all.holding) {
            starvedShared.add("parallelism");
        }
        if (workers.waiting > 0 && workers.holding > 0 && workers.pokingSensors >= workers.holding) {
            starvedShared.add("worker_slots");
        }
        Set<String> starvedDags = new HashSet<>();
        byDag.forEach((dagId, u) -> catalog.get(dagId).ifPresent(d -> {
            if (u.waiting > 0 && u.holding >= d.spec().maxActiveTasks() && u.pokingSensors >= u.holding) {
                starvedDags.add(dagId);
            }
        }));
        Set<String> starvedPools = new HashSet<>();
        for (PoolStore.Pool pool : pools.list()) {
            Usage u = byPool.get(pool.name());
            if (u != null && u.waiting > 0 && u.holding >= pool.slots() && u.pokingSensors >= u.holding) {
                starvedPools.add(pool.name());
            }
        }
        track(starvedDags, dagSince, reportedDags, now, "DAG", dags::setSensorDeadlock);
        track(starvedPools, poolSince, reportedPools, now, "pool", pools::setSensorDeadlock);
        track(starvedShared, sharedSince, reportedShared, now, "resource shared by all DAGs",
                dags::setCrossDagSensorDeadlock);
    }

    private boolean isPokeSensor(String dagId, String taskId) {
        return catalog.isPokeSensor(dagId, taskId, isSensorType);
    }

    private void track(Set<String> starved, Map<String, Instant> since, Set<String> reported, Instant now,
                       String what, java.util.function.BiConsumer<String, Instant> flag) {
        for (String name : starved) {
            Instant first = since.computeIfAbsent(name, k -> now);
            if (!now.isBefore(first.plus(threshold)) && reported.add(name)) {
                LOG.warn("Sensor deadlock: every slot of {} '{}' has been held by poke-mode sensors since {} while "
                        + "other tasks wait. Poking sensors keep their slot between pokes; use mode RESCHEDULE "
                        + "(SensorBuilder.mode(SensorMode.RESCHEDULE)) so they free it while they wait.", what, name,
                        first);
                flag.accept(name, first);
            }
        }
        for (String name : Set.copyOf(since.keySet())) {
            if (!starved.contains(name)) {
                since.remove(name);
                if (reported.remove(name)) {
                    LOG.info("Sensor deadlock of {} '{}' is over", what, name);
                    flag.accept(name, null);
                }
            }
        }
    }
}
