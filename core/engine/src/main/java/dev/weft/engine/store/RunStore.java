package dev.weft.engine.store;

import dev.weft.spi.TaskKey;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DAG runs. Every state change is a compare-and-set on the current state. */
public interface RunStore {
    /**
     * Creates a run in state queued with its task instances (state none), in one transaction.
     *
     * @throws RunConflictException when the DAG has a run with that run id or that logical date
     */
    RunRecord create(NewRun run, List<NewTaskInstance> tasks, Instant now);

    Optional<RunRecord> find(String dagId, String runId);

    Optional<RunRecord> find(long id);

    List<RunRecord> find(Collection<Long> ids);

    Optional<RunRecord> findAt(String dagId, Instant logicalDate);

    List<RunRecord> list(String dagId);

    /** The data interval of the DAG's latest scheduled or backfill run. */
    Optional<DataInterval> lastAutomatedInterval(String dagId);

    /** Runs made by hand or by a trigger ({@code external_trigger}), of any state. */
    int countExternallyTriggered(String dagId);

    /** Runs queued or running. */
    int countActive(String dagId);

    /**
     * Moves queued runs of active, unpaused DAGs (or backfill runs) to running, oldest logical date first, while each
     * DAG has fewer running runs than its {@code max_active_runs}, and in the same transaction moves the task
     * instances {@code firstTasks} picks from their states from none to scheduled (a compare-and-set: one that moved
     * meanwhile stays as it is). The started runs stay marked for examination. Returns the ids of the started runs.
     */
    List<Long> startQueued(Instant now, FirstTasks firstTasks);

    /** Picks, from the states of runs just started, the task instances to schedule at once. */
    @FunctionalInterface
    interface FirstTasks {
        /** @param dagByRun the started runs' DAG ids, by run id; {@code states} their task instances */
        List<Long> pick(Map<Long, String> dagByRun, List<TaskStateRow> states);
    }

    /** Ids of running runs marked as needing a scheduling decision, clearing the mark (at most {@code limit}). */
    List<Long> takeRunsToExamine(int limit);

    /** Ids of all running runs (the safety net behind the marks). */
    List<Long> runningIds();

    /** Running runs whose DAG has a dagrun timeout. */
    List<RunRecord> runningWithTimeout();

    /** Marks runs as needing a scheduling decision. */
    void markForExamination(Collection<Long> runIds);

    /**
     * Locks the run's row until the transaction ends (inside {@link Transactor#inTransaction}) and returns its state;
     * empty when there is no such run. Whoever changes the run (a clear re-queueing it, a mark) then waits.
     */
    Optional<RunState> lock(long runId);

    /** Ends a running run; false when it was not running. */
    boolean finish(long runId, RunState state, Instant now);

    /** Sets a finished run back to queued, as clearing does (Airflow B7.6). */
    boolean requeue(long runId, Instant now);

    /** The runs the task of {@code runId} created through its dagRuns() capability (a trigger-dag-run task). */
    List<RunRecord> triggeredBy(String dagId, String runId, String taskId);

    /**
     * Marks a finished run as waiting for what started it (a recursive clear cleared its tasks): the task that
     * triggered it, to run again, or, for a dataset-triggered run, new events from the tasks whose events it consumed.
     * It stays finished, so its tasks do not start before that. False when the run is not finished.
     */
    boolean awaitTrigger(long runId, Instant now);

    /**
     * Queues again the run that the task of {@code by} triggered and a recursive clear left waiting for it, if there
     * is one in {@code dagId}.
     */
    Optional<RunRecord> releaseAwaitingTrigger(String dagId, TaskKey by, Instant now);

    /**
     * Sets a run's state by hand (the API's "mark as"), compare-and-set on {@code from}: to success or failed it ends
     * the run now; to queued it waits to be started again. The run is marked for a scheduling decision.
     */
    boolean setState(long runId, RunState from, RunState to, Instant now);

    /** Deletes a run with its task instances, tries and logs; false when it does not exist. */
    boolean delete(long runId);
}
