package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.engine.store.DatasetStore;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
public interface DatasetDao extends DatasetStore, SqlObject {
    String EVENT_COLUMNS = "e.id, e.dataset_id, d.uri AS dataset_uri, e.extra, e.source_dag_id, e.source_task_id,"
            + " e.source_run_id, e.source_map_index, e.source_try, e.timestamp";
    // The same filters for the page and its count; a null parameter does not filter.
    String EVENT_FILTER = "\n" + """
             WHERE (CAST(:datasetId AS BIGINT) IS NULL OR e.dataset_id = :datasetId)
               AND (CAST(:sourceDagId AS TEXT) IS NULL OR e.source_dag_id = :sourceDagId)
               AND (CAST(:sourceTaskId AS TEXT) IS NULL OR e.source_task_id = :sourceTaskId)
               AND (CAST(:sourceRunId AS TEXT) IS NULL OR e.source_run_id = :sourceRunId)
               AND (CAST(:sourceMapIndex AS INTEGER) IS NULL OR e.source_map_index = :sourceMapIndex)""";

    @Override
    default void register(Collection<String> uris, Instant now) {
        if (!uris.isEmpty()) {
            insertDatasets(uris.stream().distinct().sorted().toArray(String[]::new), now);
        }
    }

    // Sorted, so that two processes registering overlapping sets lock the unique index in the same order.
    @SqlUpdate("INSERT INTO dataset (uri, created_at, updated_at) SELECT u, :now, :now FROM unnest(:uris) AS u"
            + " ON CONFLICT (uri) DO NOTHING")
    void insertDatasets(@Bind("uris") String[] uris, @Bind("now") Instant now);

    @Override
    @SqlQuery("SELECT id, uri, extra, created_at, updated_at FROM dataset WHERE uri = :uri")
    Optional<DatasetRecord> find(@Bind("uri") String uri);

    @Override
    default List<DatasetRecord> list(String uriPattern, boolean byUri, boolean descending, int limit, int offset) {
        String direction = descending ? "DESC" : "ASC";
        return page(uriPattern, (byUri ? "uri " : "id ") + direction, limit, offset);
    }

    // <order> is one of the fixed orders above, never user text.
    @SqlQuery("SELECT id, uri, extra, created_at, updated_at FROM dataset"
            + " WHERE CAST(:pattern AS TEXT) IS NULL OR strpos(uri, :pattern) > 0"
            + " ORDER BY <order> LIMIT :limit OFFSET :offset")
    List<DatasetRecord> page(@Bind("pattern") String uriPattern, @Define("order") String order,
                             @Bind("limit") int limit, @Bind("offset") int offset);

    @Override
    @SqlQuery("SELECT count(*) FROM dataset WHERE CAST(:pattern AS TEXT) IS NULL OR strpos(uri, :pattern) > 0")
    long count(@Bind("pattern") String uriPattern);

    @Override
    @Transaction
    default Optional<Emitted> emit(String uri, Map<String, Object> extra, String dedupKey, Instant now) {
        Optional<DatasetRecord> dataset = find(uri);
        if (dataset.isEmpty()) {
            return Optional.empty();
        }
        long datasetId = dataset.get().id();
        Optional<Long> created = insertEvent(datasetId, Json.write(extra), dedupKey, now);
        if (created.isPresent()) {
            enqueue(new long[]{created.get()}, now);
            return Optional.of(new Emitted(event(created.get()), true));
        }
        // The key's event committed before this insert, or while it waited on the unique index: this statement,
        // taken after, sees it.
        return Optional.of(new Emitted(eventByKey(datasetId, dedupKey), false));
    }

    @SqlQuery("""
            INSERT INTO dataset_event (dataset_id, extra, dedup_key, timestamp)
            VALUES (:datasetId, CAST(:extra AS JSONB), :dedupKey, :now)
            ON CONFLICT (dataset_id, dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
            RETURNING id""")
    Optional<Long> insertEvent(@Bind("datasetId") long datasetId, @Bind("extra") String extraJson,
                               @Bind("dedupKey") String dedupKey, @Bind("now") Instant now);

    /** Queues the events for the active DAGs scheduled on their datasets; returns the rows queued. */
    @SqlUpdate("INSERT INTO dataset_event_queue (target_dag_id, event_id, dataset_id, created_at)"
            + " SELECT g.dag_id, e.id, e.dataset_id, :now FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id"
            + " JOIN dag g ON g.is_active AND g.spec->'datasets' @> jsonb_build_array(d.uri)"
            + " WHERE e.id = ANY(:ids) ON CONFLICT DO NOTHING")
    int enqueue(@Bind("ids") long[] eventIds, @Bind("now") Instant now);

    @SqlQuery("SELECT " + EVENT_COLUMNS + " FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id WHERE e.id = :id")
    EventRecord event(@Bind("id") long id);

    @SqlQuery("SELECT " + EVENT_COLUMNS + " FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id"
            + " WHERE e.dataset_id = :datasetId AND e.dedup_key = :dedupKey")
    EventRecord eventByKey(@Bind("datasetId") long datasetId, @Bind("dedupKey") String dedupKey);

    @Override
    default int emitForTries(long[] taskInstanceIds, int[] tryNumbers, String[] uris, Instant now) {
        if (taskInstanceIds.length == 0) {
            return 0;
        }
        // A DAG registered its outlets' datasets; one whose registration was lost is made here rather than dropped.
        register(List.of(uris), now);
        long[] created = insertTryEvents(taskInstanceIds, tryNumbers, uris, now).stream().mapToLong(Long::longValue)
                .toArray();
        return enqueue(created, now);
    }

    // The try number is part of the key: a retry that succeeds after a try whose outcome was lost is one more
    // update, but the same try written twice is one.
    @SqlQuery("""
            INSERT INTO dataset_event (dataset_id, source_dag_id, source_task_id, source_run_id, source_try, dedup_key,
                timestamp)
            SELECT d.id, t.dag_id, t.task_id, t.run_id, v.try_number,
                   'try:' || t.dag_id || '/' || t.run_id || '/' || t.task_id || '/' || v.try_number, :now
            FROM unnest(:ids, :tries, :uris) AS v(ti_id, try_number, uri)
            JOIN task_instance t ON t.id = v.ti_id
            JOIN dataset d ON d.uri = v.uri
            ON CONFLICT (dataset_id, dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
            RETURNING id""")
    List<Long> insertTryEvents(@Bind("ids") long[] taskInstanceIds, @Bind("tries") int[] tryNumbers,
                               @Bind("uris") String[] uris, @Bind("now") Instant now);

    @Override
    default List<EventRecord> events(EventFilter f, boolean descending, int limit, int offset) {
        return eventPage(f.datasetId(), f.sourceDagId(), f.sourceTaskId(), f.sourceRunId(), f.sourceMapIndex(),
                descending ? "DESC" : "ASC", limit, offset);
    }

    @SqlQuery("SELECT " + EVENT_COLUMNS + " FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id" + EVENT_FILTER
            + " ORDER BY e.timestamp <direction>, e.id <direction> LIMIT :limit OFFSET :offset")
    List<EventRecord> eventPage(@Bind("datasetId") Long datasetId, @Bind("sourceDagId") String sourceDagId,
                                @Bind("sourceTaskId") String sourceTaskId, @Bind("sourceRunId") String sourceRunId,
                                @Bind("sourceMapIndex") Integer sourceMapIndex, @Define("direction") String direction,
                                @Bind("limit") int limit, @Bind("offset") int offset);

    @Override
    default long countEvents(EventFilter f) {
        return eventCount(f.datasetId(), f.sourceDagId(), f.sourceTaskId(), f.sourceRunId(), f.sourceMapIndex());
    }

    @SqlQuery("SELECT count(*) FROM dataset_event e" + EVENT_FILTER)
    long eventCount(@Bind("datasetId") Long datasetId, @Bind("sourceDagId") String sourceDagId,
                    @Bind("sourceTaskId") String sourceTaskId, @Bind("sourceRunId") String sourceRunId,
                    @Bind("sourceMapIndex") Integer sourceMapIndex);

    @Override
    default Map<Long, EventSummary> eventSummaries(Collection<Long> datasetIds) {
        Map<Long, EventSummary> byId = new HashMap<>();
        if (!datasetIds.isEmpty()) {
            eventCounts(datasetIds.stream().mapToLong(Long::longValue).toArray())
                    .forEach(s -> byId.put(s.datasetId(), s));
        }
        return byId;
    }

    // The (dataset_id, timestamp) index answers both aggregates of a page's datasets.
    @SqlQuery("SELECT dataset_id, count(*) AS events, max(timestamp) AS last_event FROM dataset_event"
            + " WHERE dataset_id = ANY(:ids) GROUP BY dataset_id")
    List<EventSummary> eventCounts(@Bind("ids") long[] datasetIds);

    @Override
    default List<QueueSummary> queueSummaries(Collection<String> dagIds) {
        return dagIds.isEmpty() ? List.of() : queueCounts(dagIds.toArray(String[]::new));
    }

    @SqlQuery("""
            SELECT q.target_dag_id AS dag_id, d.uri AS dataset_uri, count(*) AS events, min(q.created_at) AS since
            FROM dataset_event_queue q JOIN dataset d ON d.id = q.dataset_id
            WHERE q.target_dag_id = ANY(:dagIds)
            GROUP BY q.target_dag_id, d.uri ORDER BY q.target_dag_id, d.uri""")
    List<QueueSummary> queueCounts(@Bind("dagIds") String[] dagIds);

    @Override
    @SqlQuery("SELECT " + EVENT_COLUMNS + " FROM dagrun_dataset_event c JOIN dataset_event e ON e.id = c.event_id"
            + " JOIN dataset d ON d.id = e.dataset_id WHERE c.dag_run_id = :runPk ORDER BY e.timestamp, e.id")
    List<EventRecord> consumedBy(@Bind("runPk") long runPk);

    @Override
    default Map<Long, List<RunRef>> consumersOf(Collection<Long> eventIds) {
        Map<Long, List<RunRef>> byEvent = new HashMap<>();
        if (!eventIds.isEmpty()) {
            consumers(eventIds.stream().mapToLong(Long::longValue).toArray()).forEach(c ->
                    byEvent.computeIfAbsent(c.eventId(), k -> new java.util.ArrayList<>())
                            .add(new RunRef(c.id(), c.dagId(), c.runId())));
        }
        return byEvent;
    }

    /** A run that consumed an event. */
    record Consumer(long eventId, long id, String dagId, String runId) {
    }

    @SqlQuery("SELECT c.event_id, r.id, r.dag_id, r.run_id FROM dagrun_dataset_event c"
            + " JOIN dag_run r ON r.id = c.dag_run_id WHERE c.event_id = ANY(:ids) ORDER BY r.id")
    List<Consumer> consumers(@Bind("ids") long[] eventIds);

    @Override
    @SqlQuery("""
            SELECT DISTINCT r.id, r.dag_id, r.run_id FROM (
                SELECT DISTINCT ON (dataset_id) id FROM dataset_event
                WHERE source_dag_id = :dagId AND source_task_id = :taskId AND source_run_id = :runId
                ORDER BY dataset_id, id DESC) e
            JOIN dagrun_dataset_event c ON c.event_id = e.id
            JOIN dag_run r ON r.id = c.dag_run_id
            ORDER BY r.id""")
    List<RunRef> runsConsumingEventsOf(@Bind("dagId") String dagId, @Bind("taskId") String taskId,
                                       @Bind("runId") String runId);

    @Override
    @SqlQuery("""
            SELECT q.target_dag_id AS dag_id, q.event_id, d.uri AS dataset_uri, q.created_at, e.source_dag_id,
                   e.source_run_id, e.source_task_id
            FROM dataset_event_queue q JOIN dataset d ON d.id = q.dataset_id JOIN dataset_event e ON e.id = q.event_id
            WHERE (CAST(:dagId AS TEXT) IS NULL OR q.target_dag_id = :dagId)
              AND (CAST(:uri AS TEXT) IS NULL OR d.uri = :uri)
              AND (CAST(:before AS TIMESTAMPTZ) IS NULL OR q.created_at < :before)
            ORDER BY q.target_dag_id, d.uri, q.event_id""")
    List<QueuedEvent> queued(@Bind("dagId") String dagId, @Bind("uri") String uri, @Bind("before") Instant before);

    @Override
    @SqlUpdate("""
            DELETE FROM dataset_event_queue q USING dataset d
            WHERE d.id = q.dataset_id
              AND (CAST(:dagId AS TEXT) IS NULL OR q.target_dag_id = :dagId)
              AND (CAST(:uri AS TEXT) IS NULL OR d.uri = :uri)
              AND (CAST(:before AS TIMESTAMPTZ) IS NULL OR q.created_at < :before)""")
    int deleteQueued(@Bind("dagId") String dagId, @Bind("uri") String uri, @Bind("before") Instant before);

    @Override
    @SqlQuery("SELECT DISTINCT target_dag_id FROM dataset_event_queue ORDER BY target_dag_id")
    List<String> dagsWithQueuedEvents();

    @Override
    default List<QueuedEvent> lockQueue(String dagId) {
        Locks.lock(this, Locks.datasetQueue(dagId));
        return queued(dagId, null, null);
    }

    @Override
    default void consume(long runPk, String dagId, Collection<Long> eventIds) {
        long[] ids = eventIds.stream().mapToLong(Long::longValue).toArray();
        recordConsumed(runPk, dagId, ids);
        dequeue(dagId, ids);
    }

    @SqlUpdate("INSERT INTO dagrun_dataset_event (dag_run_id, event_id, target_dag_id)"
            + " SELECT :runPk, e, :dagId FROM unnest(:ids) AS e")
    void recordConsumed(@Bind("runPk") long runPk, @Bind("dagId") String dagId, @Bind("ids") long[] eventIds);

    @SqlUpdate("DELETE FROM dataset_event_queue WHERE target_dag_id = :dagId AND event_id = ANY(:ids)")
    void dequeue(@Bind("dagId") String dagId, @Bind("ids") long[] eventIds);

    // Asked at each pass for a DAG with queued events: driven from its (short) queue through the events' source
    // index, so a DAG's run history is never scanned.
    @Override
    @SqlQuery("""
            WITH awaiting AS (
                SELECT DISTINCT c.dag_run_id FROM dataset_event_queue q
                JOIN dataset_event fresh ON fresh.id = q.event_id
                JOIN dataset_event e ON e.source_dag_id = fresh.source_dag_id AND e.source_run_id = fresh.source_run_id
                    AND e.source_task_id = fresh.source_task_id AND e.dataset_id = fresh.dataset_id
                JOIN dagrun_dataset_event c ON c.event_id = e.id AND c.target_dag_id = q.target_dag_id
                JOIN dag_run r ON r.id = c.dag_run_id
                WHERE q.target_dag_id = :dagId AND r.awaits_trigger AND r.state IN ('success', 'failed'))
            SELECT c.dag_run_id AS run_pk, e.id AS event_id, d.uri AS dataset_uri, e.source_dag_id, e.source_run_id,
                   e.source_task_id,
                   NOT EXISTS (SELECT 1 FROM task_instance t WHERE t.dag_id = e.source_dag_id
                       AND t.run_id = e.source_run_id AND t.task_id = e.source_task_id AND t.state <> 'success')
                       AS source_succeeded
            FROM awaiting a JOIN dagrun_dataset_event c ON c.dag_run_id = a.dag_run_id
            JOIN dataset_event e ON e.id = c.event_id JOIN dataset d ON d.id = e.dataset_id
            ORDER BY c.dag_run_id, e.id""")
    List<AwaitedEvent> consumedByAwaitingRuns(@Bind("dagId") String dagId);

    @Override
    default void reconsume(long runPk, String dagId, Collection<Long> replaced, Collection<Long> eventIds) {
        forget(runPk, replaced.stream().mapToLong(Long::longValue).toArray());
        consume(runPk, dagId, eventIds);
    }

    @SqlUpdate("DELETE FROM dagrun_dataset_event WHERE dag_run_id = :runPk AND event_id = ANY(:ids)")
    void forget(@Bind("runPk") long runPk, @Bind("ids") long[] eventIds);
}
