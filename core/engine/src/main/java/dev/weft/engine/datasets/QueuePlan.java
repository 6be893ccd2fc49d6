package dev.weft.engine.datasets;

import dev.weft.engine.store.DatasetStore.AwaitedEvent;
import dev.weft.engine.store.DatasetStore.QueuedEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a scheduler pass does with the queue of a DAG scheduled on datasets: the decision the scheduler acts on, with
 * the queue locked, and the one the Datasets page shows, so that the page says what the scheduler will do.
 *
 * <p>Runs a recursive clear left waiting come first. A waiting run waits for every task instance whose event it
 * consumed that is not in state success (cleared, running again, failed): while one is not, the run waits, and the
 * queued events of the sources it waits for are held for it, so that no new run takes them. Once all have succeeded,
 * the run consumes the queued events of its sources instead of their old ones (an event of another dataset, or from
 * another task, it keeps) and is queued again: it runs once, with all the new data.
 *
 * <p>A new run consumes every queued event of the DAG's datasets that no waiting run holds, once each of its datasets
 * has one, and while fewer than {@code max_active_runs} runs are queued or running. Events of datasets the DAG is no
 * longer scheduled on (a new version of it) are stale: they would never be consumed.
 *
 * @param stale        queued events of datasets the DAG is not scheduled on
 * @param waitingRuns  the waiting runs that queued events are held for, the newest first
 * @param newRunEvents the queued events a new run would consume
 * @param waitingFor   the DAG's datasets without such an event: a new run waits for an event of each
 */
public record QueuePlan(List<QueuedEvent> stale, List<WaitingRun> waitingRuns, List<QueuedEvent> newRunEvents,
                        List<String> waitingFor) {
    /** Where an event came from: the dataset and the task instance that recorded it. */
    public record Source(String datasetUri, String dagId, String runId, String taskId) {
        static Source of(QueuedEvent q) {
            return new Source(q.datasetUri(), q.sourceDagId(), q.sourceRunId(), q.sourceTaskId());
        }

        static Source of(AwaitedEvent e) {
            return new Source(e.datasetUri(), e.sourceDagId(), e.sourceRunId(), e.sourceTaskId());
        }
    }

    /**
     * A waiting run and the queued events held for it.
     *
     * @param waitsFor the sources whose task instances have not succeeded again: the run waits while there is one
     * @param replaced the events it consumed that the held ones replace when it is released
     * @param held     the queued events of its sources, not for a new run
     */
    public record WaitingRun(long runPk, List<Source> waitsFor, List<Long> replaced, List<QueuedEvent> held) {
        /** Queued again by this pass, consuming {@link #held} instead of {@link #replaced}. */
        public boolean released() {
            return waitsFor.isEmpty();
        }

        public List<Long> heldIds() {
            return held.stream().map(QueuedEvent::eventId).toList();
        }
    }

    /**
     * @param datasets the datasets the DAG is scheduled on
     * @param queued   the DAG's queued events
     * @param consumed what its waiting runs consumed ({@code DatasetStore.consumedByAwaitingRuns})
     */
    public static QueuePlan of(List<String> datasets, List<QueuedEvent> queued, List<AwaitedEvent> consumed) {
        Set<String> wanted = Set.copyOf(datasets);
        List<QueuedEvent> stale = queued.stream().filter(q -> !wanted.contains(q.datasetUri())).toList();
        List<QueuedEvent> current = queued.stream().filter(q -> wanted.contains(q.datasetUri())).toList();
        Map<Source, List<QueuedEvent>> queuedBySource = new LinkedHashMap<>();
        current.stream().filter(q -> q.sourceDagId() != null)
                .forEach(q -> queuedBySource.computeIfAbsent(Source.of(q), k -> new ArrayList<>()).add(q));
        Map<Long, List<AwaitedEvent>> byRun = new LinkedHashMap<>();
        // The newest run first: should two runs wait for the same source, the one with the latest data gets it.
        consumed.stream().sorted(Comparator.comparingLong(AwaitedEvent::runPk).reversed())
                .forEach(e -> byRun.computeIfAbsent(e.runPk(), k -> new ArrayList<>()).add(e));
        List<WaitingRun> waitingRuns = new ArrayList<>();
        Set<Long> held = new HashSet<>();
        for (Map.Entry<Long, List<AwaitedEvent>> run : byRun.entrySet()) {
            Set<Source> sources = new LinkedHashSet<>();
            List<Long> replaced = new ArrayList<>();
            for (AwaitedEvent e : run.getValue()) {
                List<QueuedEvent> fresh = queuedBySource.getOrDefault(Source.of(e), List.of());
                if (e.sourceDagId() != null && fresh.stream().anyMatch(q -> !held.contains(q.eventId()))) {
                    sources.add(Source.of(e));
                    replaced.add(e.eventId());
                }
            }
            List<QueuedEvent> events = sources.stream().flatMap(s -> queuedBySource.get(s).stream())
                    .filter(q -> !held.contains(q.eventId())).toList();
            if (events.isEmpty()) {
                continue;
            }
            events.forEach(q -> held.add(q.eventId()));
            List<Source> waitsFor = run.getValue().stream().filter(e -> !e.sourceSucceeded()).map(Source::of)
                    .distinct().toList();
            waitingRuns.add(new WaitingRun(run.getKey(), waitsFor, replaced, events));
        }
        List<QueuedEvent> newRunEvents = current.stream().filter(q -> !held.contains(q.eventId())).toList();
        Set<String> updated = new HashSet<>();
        newRunEvents.forEach(q -> updated.add(q.datasetUri()));
        List<String> waitingFor = datasets.stream().distinct().filter(uri -> !updated.contains(uri)).toList();
        return new QueuePlan(stale, waitingRuns, newRunEvents, waitingFor);
    }

    /**
     * Whether this pass creates a new run: every dataset has an event no waiting run holds, and fewer than
     * {@code maxActiveRuns} runs are queued or running once it queued the released waiting runs again.
     *
     * @param activeRuns the DAG's runs queued or running before this pass; asked only when every dataset has an
     *                   event (it costs a query)
     */
    public boolean startsNewRun(int maxActiveRuns, IntSupplier activeRuns) {
        return waitingFor.isEmpty() && activeRunsAfter(activeRuns.getAsInt()) < maxActiveRuns;
    }

    /** The DAG's runs queued or running after this pass queued the released waiting runs again. */
    public int activeRunsAfter(int activeRuns) {
        return activeRuns + (int) waitingRuns.stream().filter(WaitingRun::released).count();
    }

    /** How many queued events of {@code uri} are held for waiting runs. */
    public long heldEvents(String uri) {
        return waitingRuns.stream().flatMap(w -> w.held().stream()).filter(q -> q.datasetUri().equals(uri)).count();
    }
}
