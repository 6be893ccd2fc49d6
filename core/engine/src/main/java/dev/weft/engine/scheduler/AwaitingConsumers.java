package dev.weft.engine.scheduler;

import dev.weft.engine.store.DatasetStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dataset-triggered runs, left waiting by a recursive clear, the queued events release. A waiting run waits for
 * every task instance whose event it consumed that is not in state success (cleared, running again, failed): while
 * one is not, the run waits, and the queued events of the sources it waits for are held for it, so that no new run
 * takes them. Once all have succeeded, the run consumes the queued events of its sources instead of their old ones
 * (an event of another dataset, or from another task, it keeps) and is queued: it runs once, with all the new data.
 */
final class AwaitingConsumers {
    /** Where an event came from: the dataset and the task instance that recorded it. */
    private record Source(String datasetUri, String dagId, String runId, String taskId) {
        static Source of(DatasetStore.QueuedEvent q) {
            return new Source(q.datasetUri(), q.sourceDagId(), q.sourceRunId(), q.sourceTaskId());
        }

        static Source of(DatasetStore.AwaitedEvent e) {
            return new Source(e.datasetUri(), e.sourceDagId(), e.sourceRunId(), e.sourceTaskId());
        }
    }

    /** A run to queue again, consuming {@code events} instead of {@code replaced}. */
    record Release(long runPk, List<Long> replaced, List<Long> events) {
    }

    /**
     * @param releases the runs to queue again
     * @param held     the queued events that belong to waiting runs (released or not): not for a new run
     */
    record Plan(List<Release> releases, Set<Long> held) {
    }

    private AwaitingConsumers() {
    }

    /**
     * @param queued   the DAG's queued events
     * @param consumed what its waiting runs consumed ({@link DatasetStore#consumedByAwaitingRuns})
     */
    static Plan plan(List<DatasetStore.QueuedEvent> queued, List<DatasetStore.AwaitedEvent> consumed) {
        Map<Source, List<Long>> queuedBySource = new LinkedHashMap<>();
        queued.stream().filter(q -> q.sourceDagId() != null)
                .forEach(q -> queuedBySource.computeIfAbsent(Source.of(q), k -> new ArrayList<>()).add(q.eventId()));
        Map<Long, List<DatasetStore.AwaitedEvent>> byRun = new LinkedHashMap<>();
        // The newest run first: should two runs wait for the same source, the one with the latest data gets it.
        consumed.stream().sorted(Comparator.comparingLong(DatasetStore.AwaitedEvent::runPk).reversed())
                .forEach(e -> byRun.computeIfAbsent(e.runPk(), k -> new ArrayList<>()).add(e));
        List<Release> releases = new ArrayList<>();
        Set<Long> held = new HashSet<>();
        for (Map.Entry<Long, List<DatasetStore.AwaitedEvent>> run : byRun.entrySet()) {
            boolean ready = run.getValue().stream().allMatch(DatasetStore.AwaitedEvent::sourceSucceeded);
            Set<Source> sources = new LinkedHashSet<>();
            List<Long> replaced = new ArrayList<>();
            for (DatasetStore.AwaitedEvent e : run.getValue()) {
                List<Long> fresh = queuedBySource.getOrDefault(Source.of(e), List.of());
                if (e.sourceDagId() != null && fresh.stream().anyMatch(id -> !held.contains(id))) {
                    sources.add(Source.of(e));
                    replaced.add(e.eventId());
                }
            }
            List<Long> events = sources.stream().flatMap(s -> queuedBySource.get(s).stream())
                    .filter(id -> !held.contains(id)).toList();
            held.addAll(events);
            if (ready && !events.isEmpty()) {
                releases.add(new Release(run.getKey(), replaced, events));
            }
        }
        return new Plan(releases, held);
    }
}
