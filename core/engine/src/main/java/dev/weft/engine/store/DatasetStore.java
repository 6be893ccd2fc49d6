package dev.weft.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Datasets, their events, and each consumer DAG's queue of events not yet consumed. An event joins the queue of every
 * active DAG scheduled on its dataset in the transaction that records it, and leaves it in the transaction that
 * creates the run consuming it ({@link #consume}): so each event is consumed by exactly one run of each such DAG.
 */
public interface DatasetStore {
    record DatasetRecord(long id, String uri, Map<String, Object> extra, Instant createdAt, Instant updatedAt) {
    }

    /** An event; {@code source*} are set for an event of a task's try, null for one posted from outside. */
    record EventRecord(long id, long datasetId, String datasetUri, Map<String, Object> extra, String sourceDagId,
                       String sourceTaskId, String sourceRunId, int sourceMapIndex, Integer sourceTry,
                       Instant timestamp) {
    }

    /** The event {@link #emit} returns; {@code created} is false when its idempotency key had one already. */
    record Emitted(EventRecord event, boolean created) {
    }

    /** An event waiting in a DAG's queue; {@code source*} as in {@link EventRecord}. */
    record QueuedEvent(String dagId, long eventId, String datasetUri, Instant createdAt, String sourceDagId,
                       String sourceRunId, String sourceTaskId) {
    }

    /**
     * An event consumed by a run that waits for new events (a recursive clear reached it through a dataset link).
     *
     * @param sourceSucceeded the task instance that recorded the event is in state success now (true for an event
     *                        posted from outside, or whose task instance is gone): false while it is cleared,
     *                        running again, or failed
     */
    record AwaitedEvent(long runPk, long eventId, String datasetUri, String sourceDagId, String sourceRunId,
                        String sourceTaskId, boolean sourceSucceeded) {
    }

    /** A run, by DAG and run id. */
    record RunRef(long id, String dagId, String runId) {
    }

    /** A dataset's events at a glance: how many, and when the newest was recorded. */
    record EventSummary(long datasetId, long events, Instant lastEvent) {
    }

    /** The events of one dataset waiting in one DAG's queue: how many, since when. */
    record QueueSummary(String dagId, String datasetUri, long events, Instant since) {
    }

    /** Filters of the event list; null fields do not filter. */
    record EventFilter(Long datasetId, String sourceDagId, String sourceTaskId, String sourceRunId,
                       Integer sourceMapIndex) {
        public static final EventFilter ALL = new EventFilter(null, null, null, null, null);
    }

    /** Makes sure a dataset exists for each URI (a DAG names them); existing ones are left as they are. */
    void register(Collection<String> uris, Instant now);

    Optional<DatasetRecord> find(String uri);

    /** Datasets whose URI contains {@code uriPattern} (null: all), sorted by URI or by id. */
    List<DatasetRecord> list(String uriPattern, boolean byUri, boolean descending, int limit, int offset);

    long count(String uriPattern);

    /**
     * Records an event of an existing dataset and queues it for the DAGs scheduled on it. With a {@code dedupKey}
     * already used for this dataset, nothing is recorded and the earlier event is returned. Empty when the dataset
     * does not exist.
     */
    Optional<Emitted> emit(String uri, Map<String, Object> extra, String dedupKey, Instant now);

    /**
     * Records one event per outlet of the given successful tries (task instance id, try, dataset URIs), as part of
     * the write-back; returns how many were queued for a consumer DAG.
     */
    int emitForTries(long[] taskInstanceIds, int[] tryNumbers, String[] uris, Instant now);

    List<EventRecord> events(EventFilter filter, boolean descending, int limit, int offset);

    long countEvents(EventFilter filter);

    /** The summaries of the given datasets that have events, by dataset id. */
    Map<Long, EventSummary> eventSummaries(Collection<Long> datasetIds);

    /** The queues of the given DAGs, one entry per DAG and dataset with queued events, by DAG and URI. */
    List<QueueSummary> queueSummaries(Collection<String> dagIds);

    /** The events a run consumed (Airflow's upstream dataset events of a run), oldest first. */
    List<EventRecord> consumedBy(long runPk);

    /** The runs that consumed each event, by event id. */
    Map<Long, List<RunRef>> consumersOf(Collection<Long> eventIds);

    /**
     * The runs that consumed the latest dataset event the task instance {@code (dagId, taskId, runId)} recorded for
     * each of its datasets: what clearing that task instance recursively also clears. A run that consumed an older
     * event of it was followed by a run with the newer one (or the newer one is queued): its data is not the latest.
     */
    List<RunRef> runsConsumingEventsOf(String dagId, String taskId, String runId);

    /** Queued events, optionally of one DAG and of one dataset, created before {@code before} (null: any). */
    List<QueuedEvent> queued(String dagId, String uri, Instant before);

    /** Deletes queued events like {@link #queued}; returns how many. */
    int deleteQueued(String dagId, String uri, Instant before);

    /** The DAGs with queued events. */
    List<String> dagsWithQueuedEvents();

    /**
     * Locks the DAG's queue until the transaction ends (inside {@link Transactor#inTransaction}) and returns it:
     * schedulers deciding for the same DAG take turns, and each sees what the one before it consumed.
     */
    List<QueuedEvent> lockQueue(String dagId);

    /** Records that {@code runPk} consumed the events and takes them out of the DAG's queue. */
    void consume(long runPk, String dagId, Collection<Long> eventIds);

    /**
     * The runs of {@code dagId} that wait for new events (see {@link AwaitedEvent}) and consumed an event from the
     * same task instance and of the same dataset as an event in the DAG's queue: every event each of them consumed,
     * by run, oldest first.
     */
    List<AwaitedEvent> consumedByAwaitingRuns(String dagId);

    /**
     * A waiting run consumes {@code eventIds} instead of {@code replaced} (events it consumed, whose producers ran
     * again): the new ones are recorded and taken out of the DAG's queue, the old ones no longer count as consumed by
     * it, so its templates see the new data.
     */
    void reconsume(long runPk, String dagId, Collection<Long> replaced, Collection<Long> eventIds);
}
