package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;

/**
 * Read-only queries for the API and UI: DAGs, runs and task instances filtered, sorted and paged, each with the
 * number of matches before paging.
 */
public interface QueryStore {
    /** One page of matches and how many there are in all. */
    record Page<T>(List<T> items, long total) {
    }

    /** An inclusive range of instants; a null bound is open. */
    record Range(Instant gte, Instant lte) {
        public static final Range ANY = new Range(null, null);
    }

    /** Paging and sorting: {@code sort} is one of the query's sort keys, descending when {@code descending}. */
    record Paging(int limit, int offset, String sort, boolean descending) {
    }

    /**
     * DAGs: {@code idContains} is a case-insensitive substring of the id (null: any); {@code tags} match when the DAG
     * has any of them (null: any); {@code paused} null means both.
     */
    record DagFilter(String idContains, List<String> tags, boolean onlyActive, Boolean paused) {
    }

    /** Sort keys of {@link #dags}. */
    List<String> DAG_SORTS = List.of("dag_id");

    Page<DagRecord> dags(DagFilter filter, Paging paging);

    /** Runs; a null list means any value. */
    record RunFilter(List<String> dagIds, List<String> states, Range logicalDate, Range startDate, Range endDate,
                     Range updatedAt) {
    }

    /** Sort keys of {@link #runs}, by their API names. */
    List<String> RUN_SORTS = List.of("id", "state", "dag_id", "execution_date", "dag_run_id", "start_date",
            "end_date", "updated_at", "external_trigger", "conf");

    Page<RunRecord> runs(RunFilter filter, Paging paging);

    /**
     * Task instances; a null list means any value. States are wire names ({@code none} for not yet scheduled).
     * {@code matchNothing} short-cuts filters that no task instance can meet (an unknown queue or executor).
     */
    record TaskInstanceFilter(List<String> dagIds, List<String> runIds, List<String> taskIds, Range logicalDate,
                              Range startDate, Range endDate, Range updatedAt, Double durationGte,
                              Double durationLte, List<String> states, List<String> pools, boolean matchNothing) {
    }

    /** Task instances ordered by run (logical date) and task id. */
    Page<TaskInstanceRecord> taskInstances(TaskInstanceFilter filter, int limit, int offset);

    /** Runs created by a task of the given run (the trigger-dag-run lineage), in creation order. */
    List<RunRecord> triggeredBy(String dagId, String runId);

    /**
     * A DAG, a pool or a resource all DAGs share ({@code kind} engine: {@code parallelism}, {@code worker_slots})
     * whose slots have all been held by poke-mode sensors since {@code since}, while tasks wait.
     */
    record SensorDeadlock(String kind, String name, java.time.Instant since) {
    }

    /** Every DAG, pool and shared resource the scheduler currently reports as sensor-deadlocked. */
    List<SensorDeadlock> sensorDeadlocks();

    /** The newest {@code limit} runs of a DAG by logical date, newest first (the grid's columns). */
    List<RunRecord> latestRuns(String dagId, int limit);
}
