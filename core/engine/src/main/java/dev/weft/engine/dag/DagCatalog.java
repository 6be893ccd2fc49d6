package dev.weft.engine.dag;

import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;

import dev.weft.spi.dag.SensorMode;
import dev.weft.spi.dag.TaskSpec;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Compiled DAGs by id, read from the store and kept while their spec hash stays the same. Entries are re-read after a
 * short time, so a DAG changed by another process is seen within about a second.
 */
public final class DagCatalog {
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Entry(CompiledDag dag, long loadedAt) {
    }

    private final DagStore dags;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public DagCatalog(DagStore dags) {
        this.dags = dags;
    }

    public Optional<CompiledDag> get(String dagId) {
        Entry entry = cache.get(dagId);
        if (entry != null && System.nanoTime() - entry.loadedAt() < REFRESH_NANOS) {
            return Optional.of(entry.dag());
        }
        if (entry != null) {
            // Most checks find the same version: compare hashes before reading and parsing the whole spec.
            Optional<DagStore.DagHeader> header = dags.header(dagId);
            if (header.isPresent() && header.get().specHash().equals(entry.dag().specHash())) {
                cache.put(dagId, new Entry(entry.dag(), System.nanoTime()));
                return Optional.of(entry.dag());
            }
        }
        Optional<DagRecord> record = dags.find(dagId);
        if (record.isEmpty()) {
            cache.remove(dagId);
            return Optional.empty();
        }
        return Optional.of(compile(record.get(), entry).dag());
    }

    /** The compiled form of a record the caller already read. */
    public CompiledDag get(DagRecord record) {
        return compile(record, cache.get(record.dagId())).dag();
    }

    private Entry compile(DagRecord record, Entry previous) {
        CompiledDag dag = previous != null && previous.dag().specHash().equals(record.specHash())
                ? previous.dag() : new CompiledDag(record.spec(), record.specHash(), record.bundles());
        Entry fresh = new Entry(dag, System.nanoTime());
        cache.put(record.dagId(), fresh);
        return fresh;
    }

    /**
     * Whether a task is a poke-mode sensor, which keeps its slot while it waits: a sensor set to poke mode, or a task
     * of a sensor type declared as a plain task (it runs with the default settings: poke mode).
     */
    public boolean isPokeSensor(String dagId, String taskId, Predicate<String> isSensorType) {
        TaskSpec task = get(dagId).map(d -> d.task(taskId)).orElse(null);
        if (task == null) {
            return false;
        }
        return task.sensor() != null ? task.sensor().mode() == SensorMode.POKE : isSensorType.test(task.type());
    }

    /** Forgets a DAG so the next read sees the store's version at once. */
    public void invalidate(String dagId) {
        cache.remove(dagId);
    }
}
