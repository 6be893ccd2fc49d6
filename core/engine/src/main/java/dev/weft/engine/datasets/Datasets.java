package dev.weft.engine.datasets;

import dev.weft.engine.Wakeups;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.DatasetStore.DatasetRecord;
import dev.weft.engine.store.DatasetStore.EventRecord;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.spi.dag.DagValidation;
import dev.weft.spi.dag.TaskSpec;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Datasets for the API, the CLI and the UI: what exists, who produces and consumes it, its events, and events posted
 * by external producers. An event posted with {@code extra.dedup_key} (Weft's idempotency key) is recorded once per
 * dataset and key; posting it again returns the first event.
 */
public final class Datasets {
    /** The template variable of a dataset-triggered run's events (Airflow's name); empty for other runs. */
    public static final String TRIGGERING_EVENTS = "triggering_dataset_events";

    /** The key in an event's {@code extra} that makes posting it idempotent. */
    public static final String DEDUP_KEY = "dedup_key";

    private final DatasetStore store;
    private final DagStore dags;
    private final RunStore runs;
    private final Wakeups wakeups;
    private final Clock clock;

    public Datasets(DatasetStore store, DagStore dags, RunStore runs, Wakeups wakeups, Clock clock) {
        this.store = store;
        this.dags = dags;
        this.runs = runs;
        this.wakeups = wakeups;
        this.clock = clock;
    }

    /** A dataset with the active DAGs scheduled on it and the tasks that update it. */
    public record Dataset(DatasetRecord record, List<DagReference> consumingDags, List<TaskReference> producingTasks) {
    }

    public record DagReference(String dagId, Instant updatedAt) {
    }

    public record TaskReference(String dagId, String taskId, Instant updatedAt) {
    }

    /** An event with the runs that consumed it. */
    public record Event(EventRecord record, List<RunRecord> createdRuns) {
    }

    public record Page<T>(List<T> items, long total) {
    }

    /**
     * A DAG scheduled on datasets, as the scheduler's next pass sees it: the events queued for it by dataset, what
     * that pass does with them ({@link QueuePlan}: the runs a recursive clear left waiting that they release or are
     * held for, and what a new run waits for), and what else holds a new run back (the DAG paused, or
     * {@code max_active_runs} runs queued or running).
     *
     * @param waitingRuns the runs of the plan's {@link QueuePlan#waitingRuns()}, by id
     */
    public record Consumer(String dagId, List<DatasetStore.QueueSummary> queued, boolean paused, int activeRuns,
                           int maxActiveRuns, QueuePlan plan, Map<Long, RunRecord> waitingRuns) {
        /** The DAG's datasets without a queued event that no waiting run holds: a new run waits for one of each. */
        public List<String> waitingFor() {
            return plan.waitingFor();
        }

        /** The runs queued or running once the next pass queued the waiting runs it releases again. */
        public int activeRunsAfterPass() {
            return plan.activeRunsAfter(activeRuns);
        }

        /** Whether {@code max_active_runs} holds a new run back. */
        public boolean atMaxActiveRuns() {
            return activeRunsAfterPass() >= maxActiveRuns;
        }
    }

    /** A dataset URI that is not valid, or an {@code extra} that is not usable: the caller's mistake. */
    public static final class BadRequestException extends RuntimeException {
        public BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * Datasets whose URI contains {@code uriPattern}, of the DAGs in {@code dagIds} (consuming or producing; null or
     * empty: all).
     */
    public Page<Dataset> list(String uriPattern, Set<String> dagIds, boolean byUri, boolean descending, int limit,
                              int offset) {
        List<DagRecord> all = activeDags();
        if (dagIds == null || dagIds.isEmpty()) {
            List<Dataset> page = store.list(uriPattern, byUri, descending, limit, offset).stream()
                    .map(d -> describe(d, all)).toList();
            return new Page<>(page, store.count(uriPattern));
        }
        // Few datasets per DAG: filter the DAGs' own datasets rather than teach the store the specs.
        List<Dataset> matching = store.list(uriPattern, byUri, descending, Integer.MAX_VALUE, 0).stream()
                .map(d -> describe(d, all))
                .filter(d -> d.consumingDags().stream().anyMatch(c -> dagIds.contains(c.dagId()))
                        || d.producingTasks().stream().anyMatch(p -> dagIds.contains(p.dagId())))
                .toList();
        return new Page<>(matching.stream().skip(offset).limit(limit).toList(), matching.size());
    }

    public Optional<Dataset> find(String uri) {
        return store.find(uri).map(d -> describe(d, activeDags()));
    }

    /**
     * Records an event posted by an external producer and wakes the schedulers. Empty when the dataset does not
     * exist (a DAG must name it first, as in Airflow).
     */
    public Optional<DatasetStore.Emitted> emit(String uri, Map<String, Object> extra) {
        requireUri(uri);
        Map<String, Object> values = extra == null ? Map.of() : extra;
        Object key = values.get(DEDUP_KEY);
        if (key != null && (!(key instanceof String s) || s.isBlank())) {
            throw new BadRequestException("extra." + DEDUP_KEY + " must be a non-empty string, got " + key);
        }
        Optional<DatasetStore.Emitted> emitted = store.emit(uri, values, (String) key, clock.instant());
        if (emitted.isPresent() && emitted.get().created()) {
            wakeups.notifySchedulers();
        }
        return emitted;
    }

    public Page<Event> events(DatasetStore.EventFilter filter, boolean descending, int limit, int offset) {
        List<EventRecord> events = store.events(filter, descending, limit, offset);
        return new Page<>(withRuns(events), store.countEvents(filter));
    }

    /** The events a run consumed (none for a run that was not dataset-triggered). */
    public List<Event> upstreamEvents(RunRecord run) {
        return withRuns(store.consumedBy(run.id()));
    }

    public List<DatasetStore.QueuedEvent> queued(String dagId, String uri, Instant before) {
        return store.queued(dagId, uri, before);
    }

    public int deleteQueued(String dagId, String uri, Instant before) {
        return store.deleteQueued(dagId, uri, before);
    }

    /** Event counts and the newest event's time of the given datasets, by dataset id (absent: no event yet). */
    public Map<Long, DatasetStore.EventSummary> eventSummaries(Collection<Long> datasetIds) {
        return store.eventSummaries(datasetIds);
    }

    /** The queued events of the given DAGs, one entry per DAG and dataset. */
    public List<DatasetStore.QueueSummary> queueSummaries(Collection<String> dagIds) {
        return store.queueSummaries(dagIds);
    }

    /**
     * The given DAGs' queues and what the scheduler's next pass does with them; DAGs that are not registered are left
     * out. The plan is the scheduler's ({@link QueuePlan}), on the queue as it is now (without the scheduler's lock).
     */
    public List<Consumer> consumers(Collection<String> dagIds) {
        Map<String, List<DatasetStore.QueueSummary>> queues = new java.util.HashMap<>();
        store.queueSummaries(dagIds).forEach(q -> queues.computeIfAbsent(q.dagId(), k -> new ArrayList<>()).add(q));
        List<Consumer> consumers = new ArrayList<>();
        for (String dagId : dagIds) {
            dags.find(dagId).ifPresent(dag -> {
                QueuePlan plan = QueuePlan.of(dag.spec().datasets(), store.queued(dagId, null, null),
                        store.consumedByAwaitingRuns(dagId));
                Map<Long, RunRecord> waitingRuns = new java.util.HashMap<>();
                runs.find(plan.waitingRuns().stream().map(QueuePlan.WaitingRun::runPk).toList())
                        .forEach(r -> waitingRuns.put(r.id(), r));
                consumers.add(new Consumer(dagId, queues.getOrDefault(dagId, List.of()), dag.paused(),
                        runs.countActive(dagId), dag.spec().maxActiveRuns(), plan, waitingRuns));
            });
        }
        return consumers;
    }

    private List<Event> withRuns(List<EventRecord> events) {
        Map<Long, List<DatasetStore.RunRef>> refs = store.consumersOf(events.stream().map(EventRecord::id).toList());
        Map<Long, RunRecord> byId = new java.util.HashMap<>();
        runs.find(refs.values().stream().flatMap(List::stream).map(DatasetStore.RunRef::id).distinct().toList())
                .forEach(r -> byId.put(r.id(), r));
        return events.stream().map(e -> new Event(e, refs.getOrDefault(e.id(), List.of()).stream()
                .map(ref -> byId.get(ref.id())).filter(java.util.Objects::nonNull).toList())).toList();
    }

    private List<DagRecord> activeDags() {
        return dags.listAll().stream().filter(DagRecord::active).toList();
    }

    private static Dataset describe(DatasetRecord dataset, Collection<DagRecord> dags) {
        List<DagReference> consuming = new ArrayList<>();
        List<TaskReference> producing = new ArrayList<>();
        for (DagRecord dag : dags) {
            Instant at = dag.lastParsedTime();
            if (dag.spec().datasets().contains(dataset.uri())) {
                consuming.add(new DagReference(dag.dagId(), at));
            }
            for (TaskSpec task : dag.spec().tasks()) {
                if (task.outlets().contains(dataset.uri())) {
                    producing.add(new TaskReference(dag.dagId(), task.taskId(), at));
                }
            }
        }
        return new Dataset(dataset, consuming, producing);
    }

    /**
     * A run's consumed events as its templates see them: by dataset URI, each event's {@code uri}, {@code extra},
     * {@code source_dag_id}, {@code source_task_id}, {@code source_run_id}, {@code source_map_index} and
     * {@code timestamp} (ISO-8601), oldest first.
     */
    public static Map<String, Object> triggeringEvents(List<EventRecord> events) {
        Map<String, Object> byUri = new java.util.LinkedHashMap<>();
        for (EventRecord e : events) {
            Map<String, Object> event = new java.util.LinkedHashMap<>();
            event.put("uri", e.datasetUri());
            event.put("extra", e.extra());
            event.put("source_dag_id", e.sourceDagId());
            event.put("source_task_id", e.sourceTaskId());
            event.put("source_run_id", e.sourceRunId());
            event.put("source_map_index", e.sourceMapIndex());
            event.put("timestamp", dev.weft.spi.IsoDates.isoformat(e.timestamp()));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) byUri.computeIfAbsent(e.datasetUri(), k -> new ArrayList<>());
            list.add(event);
        }
        return byUri;
    }

    /** @throws BadRequestException naming what is wrong with the URI */
    public static void requireUri(String uri) {
        DagValidation.datasetUriProblem(uri).ifPresent(p -> {
            throw new BadRequestException(p);
        });
    }
}
