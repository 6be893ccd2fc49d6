package dev.weft.engine.store;

import dev.weft.spi.TaskKey;
import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task instances. Every transition is a compare-and-set ({@code … WHERE id = ANY(:ids) AND state = :from}),
 * batched, so several schedulers and workers can share one database.
 */
public interface TaskInstanceStore {
    List<TaskStateRow> statesOf(Collection<Long> runIds);

    List<TaskInstanceRecord> ofRun(long runId);

    Optional<TaskInstanceRecord> find(String dagId, String runId, String taskId);

    /**
     * Moves task instances from {@code from} to {@code to}. To scheduled from none or up_for_retry adds one to the
     * try number; to a finished state sets the end date. Returns how many moved.
     */
    int transition(Collection<Long> ids, TaskState from, TaskState to, Instant now);

    /**
     * Moves up_for_retry tasks of running runs whose time has come to scheduled. Due up_for_reschedule ones wait for
     * a worker's {@link #claim}.
     */
    int scheduleDue(Instant now);

    /**
     * Queues scheduled task instances of running runs of unpaused DAGs, older runs first and then by priority
     * weight, as far as the global parallelism, each DAG's max_active_tasks and each pool's free slots allow.
     * Serialised across schedulers and workers, in a transaction of its own: never call it inside another. Returns how
     * many were queued.
     */
    int queue(int parallelism, Instant now);

    /**
     * Claims up to {@code limit} task instances for a worker, moving them to running: queued ones, then (when
     * {@code parallelism} is positive) up_for_reschedule ones whose next poke is due, of running runs of unpaused
     * DAGs, within the limits {@link #queue} applies, so a re-poke does not pass through scheduled and queued.
     */
    List<ClaimedTry> claim(String workerId, String hostname, int limit, int parallelism, Instant now);

    /**
     * The tries claims of this worker stamped with one of {@code stamps} (their start date, to the microsecond) that
     * are still running and still the worker's: what claims took whose answer never came back (the connection died
     * after the commit, or a claim's second statement failed after the first committed).
     */
    List<ClaimedTry> claimedAt(String workerId, Collection<Instant> stamps);

    /**
     * Writes the outcomes of tries (compare-and-set on running and the try number; a try cleared while running, now
     * restarting with the same try number, goes to none instead) and, in the same transaction, runs
     * the follow-up: schedules what it decides, ends the runs it finished, and marks the runs it did not settle. It
     * queues nothing: the caller {@link #queue}s after it.
     */
    FinishFollowUp.Result finish(Collection<TryOutcome> outcomes, FinishFollowUp followUp, Instant now);

    /**
     * Running and restarting (cleared while running) task instances whose worker has not sent a heartbeat since
     * {@code heartbeatBefore}: nobody else would ever write their tries back.
     */
    List<TaskInstanceRecord> heldByLostWorkers(Instant heartbeatBefore);

    /**
     * Of a worker's tries, those it should stop: their task instance is gone, no longer running (cleared, marked,
     * failed as lost), or running another try or on another worker.
     */
    List<TryKey> stopRequested(String workerId, Collection<TryKey> tries);

    /**
     * Clears task instances so they run again (Airflow B7.2–B7.4): running ones become restarting, others none;
     * each gets its task's full retries again ({@code retries} by id); reschedule history and sensor state go.
     * Returns the ids of the runs they belong to.
     */
    List<Long> clear(Map<Long, Integer> retriesById, Instant now);

    /** States of the given tasks in the runs of a DAG at the given logical dates. */
    List<TaskInstanceRecord> atLogicalDates(String dagId, Collection<String> taskIds, Collection<Instant> logicalDates);

    /**
     * Records that the task instance of try {@code by} looked at tasks of {@code dagId} at {@code logicalDates}; an
     * empty {@code taskIds} means the whole run. Recording the same again changes nothing.
     */
    void recordLookup(TaskKey by, String dagId, Collection<String> taskIds,
                      Collection<Instant> logicalDates);

    /** The task instances that looked at {@code taskId} of {@code dagId} (or its whole run) at {@code logicalDate}. */
    List<TaskInstanceRecord> lookedAtBy(String dagId, String taskId, Instant logicalDate);

    /** How many reschedule-mode sensors wait for their next poke now. */
    int countWaitingReschedules();

    /**
     * Queued and running task instances counted per DAG, task, pool and state, scheduled ones per DAG and pool;
     * up_for_reschedule ones due at {@code now} count as scheduled (they wait for a slot).
     */
    List<SlotHolder> slotHolders(Instant now);

    /** Sets every unfinished task instance of a run to {@code to}. */
    int finishUnfinished(long runId, TaskState to, Instant now);

    /**
     * Task instances of a DAG for clearing or marking: of the given tasks (null: all), with logical dates in
     * {@code [from, to]} (a null bound is open), in the given states (null: any) and runs (null: any); ordered by
     * logical date and task id.
     */
    List<TaskInstanceRecord> select(String dagId, Collection<String> taskIds, Instant from, Instant to,
                                    Collection<TaskState> states, Collection<String> runIds);

    /**
     * Sets task instances to {@code to} by hand (the API's "mark as"), whatever their state; a finished state ends
     * them now. Their runs are marked for a scheduling decision. Returns the ids that changed.
     */
    List<Long> setState(Collection<Long> ids, TaskState to, Instant now);
}
