package dev.weft.spi;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a callback sees (Airflow's callback context): the task try or the run it is called for, the state reached and,
 * for a failure, the error. Callbacks run after the state is written, so nothing they do changes it.
 */
public interface CallbackContext {
    /** The event, as Airflow names it: {@code on_failure_callback}, {@code on_retry_callback}, ... */
    String event();

    String dagId();

    String runId();

    RunType runType();

    /** The run's logical date: the start of its data interval. */
    Instant logicalDate();

    /** The run's {@code conf} as given when it was triggered ({@code {}} when none). */
    Map<String, Object> conf();

    /** The task, for a task's callback; empty for a run's. */
    Optional<String> taskId();

    /** The try's number, for a task's callback; 0 for a run's. */
    int tryNumber();

    /**
     * The state reached, as Airflow names it: {@code failed}, {@code up_for_retry} or {@code success} for a task;
     * {@code failed} or {@code success} for a run.
     */
    String state();

    /**
     * Why the try failed (the exception's class and message, or the engine's reason such as an execution timeout),
     * for failure and retry callbacks; for a run's callback, Airflow's reason ({@code task_failure},
     * {@code timed_out}, {@code success}).
     */
    Optional<String> exception();

    /** A logger whose lines go to the try's log (a task's callback) or the server's log (a run's). */
    Logger log();

    Clock clock();
}
