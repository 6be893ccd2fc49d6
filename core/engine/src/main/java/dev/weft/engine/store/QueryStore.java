package dev.weft.engine.store;

import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.Collection;
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
            /** What is starved and what to do, for the API and the UI alike. */
        public String advice() {
            return (kind.equals("engine") ? "every slot of " + name + ", shared by all DAGs,"
                    : "every slot of this " + kind) + " is held by sensors in poke mode while other tasks wait: use"
                    + " mode reschedule so sensors free their slot between pokes";
        }
    }

    /** Every DAG, pool and shared resource the scheduler currently reports as sensor-deadlocked. */
    List<SensorDeadlock> sensorDeadlocks();

    /**
     * The newest {@code limit} runs of a DAG by logical date, newest first (the grid's columns); with {@code before},
     * only runs whose logical date is earlier (the grid's older page).
     */
    List<RunRecord> latestRuns(String dagId, int limit, Instant before);

    /** A task instance as the grid draws it. */
    record GridCell(long runPk, String taskId, TaskState state, int tryNumber, Instant startDate, Instant endDate,
                    Double duration) {
    }

    /** The task instances of the given runs (one query, whatever the number of runs). */
    List<GridCell> gridCells(Collection<Long> runPks);

    /** A finished try of a task instance (the running try is the task instance itself). */
    record TryRecord(int tryNumber, TaskState state, Instant startDate, Instant endDate, Double duration,
                     String hostname, String plugin, String pluginVersion) {
    }

    /** The finished tries of a task instance, oldest first. */
    List<TryRecord> tries(long taskInstanceId);

    /**
     * The pokes of one try of a reschedule-mode sensor that answered "not yet": how many, the first one's start, the
     * last one's end, and when the poke after them was due (or began).
     */
    record Reschedule(int tryNumber, int pokeCount, Instant startDate, Instant endDate, Instant rescheduleDate) {
    }

    /** The reschedules of a task instance since it was last cleared, oldest first; the waiting try's last. */
    List<Reschedule> reschedules(long taskInstanceId);

    /** A run's place in a DAG list's row of recent runs. */
    record RecentRun(String dagId, String runId, String runType, String state, Instant logicalDate) {
    }

    /** The newest {@code perDag} runs of each of the DAGs by logical date, newest first within each DAG. */
    List<RecentRun> recentRuns(List<String> dagIds, int perDag);

    /**
     * What the UI's browse pages filter by, across all DAGs: a null list means any value; {@code dates} bounds the
     * field {@code dateField} (one of {@link #BROWSE_DATES}), which also orders the matches, newest first.
     */
    record BrowseFilter(List<String> dagIds, List<String> states, List<String> runTypes, String dateField,
                        Range dates) {
    }

    /** The date fields the browse pages filter and sort by. */
    List<String> BROWSE_DATES = List.of("logical_date", "start_date", "end_date");

    /** Runs, newest first by the filter's date field (those without one, not yet started or ended, first). */
    Page<RunRecord> browseRuns(BrowseFilter filter, int limit, int offset);

    /** Task instances, newest first like {@link #browseRuns}; the run type is their run's. */
    Page<TaskInstanceRecord> browseTaskInstances(BrowseFilter filter, int limit, int offset);
}
