package dev.weft.spi;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What an operator sees of its task: narrow on purpose, so plugins never touch the engine or the database. */
public interface TaskContext {
    TaskKey taskKey();

    RunType runType();

    /** The run's logical date: the start of its data interval. */
    Instant logicalDate();

    DataInterval dataInterval();

    /**
     * The data interval the DAG's schedule puts after this run's, ignoring the DAG's start and end dates and
     * catchup (Airflow's {@code next_dagrun_info(..., restricted=False)}); empty for a DAG without schedule or with
     * {@code @once}. What {@code standard.latest_only} compares the clock with.
     *
     * @throws UnsupportedOperationException in a context that does not know the schedule (the default)
     */
    default Optional<DataInterval> nextDataInterval() {
        throw new UnsupportedOperationException("this task context (" + getClass().getName()
                + ") does not know the DAG's schedule");
    }

    /** The run's {@code conf} as given when it was triggered ({@code {}} when none). */
    Map<String, Object> conf();

    /** The DAG's params with their defaults, overridden key by key by {@link #conf()}. */
    Map<String, Object> params();

    /** A logger whose lines go to this try's log. */
    Logger log();

    Clock clock();

    Cancellation cancellation();

    /** Triggering runs and reading run and task states of any DAG. */
    DagRuns dagRuns();

    /** The class loader of the code that defined this DAG, for resolving callables it names. */
    ClassLoader dagClassLoader();

    /**
     * An Airflow Variable's value, empty when there is no variable with that key. The value of a variable whose key
     * looks secret ({@code password}, {@code token}, ...) is masked as {@code ***} in this try's log from then on.
     *
     * @throws UnsupportedOperationException in a context that has no variables (the default)
     */
    default Optional<String> variable(String key) {
        throw new UnsupportedOperationException("this task context (" + getClass().getName()
                + ") offers no variables");
    }

    /**
     * Pushes an XCom: a value the tasks of this run can pull under this task's id and {@code key}. Values are written
     * as JSON (text, numbers, booleans, lists, maps), at most the server's {@code xcomMaxBytes}. A task's return
     * value is its XCom {@code return_value}: return it rather than pushing it. A new try of the task starts without
     * the XComs of the previous one.
     *
     * @throws IllegalArgumentException for a blank key, {@code return_value}, a null value or one over the limit
     * @throws UnsupportedOperationException in a context that has no XComs (the default)
     */
    default void xcomPush(String key, Object value) {
        throw new UnsupportedOperationException("this task context (" + getClass().getName() + ") offers no XComs");
    }

    /** The return value of task {@code taskId} in this run ({@code xcomPull(taskId, "return_value")}). */
    default Optional<Object> xcomPull(String taskId) {
        return xcomPull(taskId, "return_value");
    }

    /**
     * The XCom {@code key} of task {@code taskId} in this run, as JSON reads it (a {@code String}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code List} or {@code Map}); empty when that task has not pushed it.
     *
     * @throws UnsupportedOperationException in a context that has no XComs (the default)
     */
    default Optional<Object> xcomPull(String taskId, String key) {
        throw new UnsupportedOperationException("this task context (" + getClass().getName() + ") offers no XComs");
    }

    /**
     * An Airflow connection, empty when there is none with that id: from the environment variable
     * {@code WEFT_CONN_<ID>} of the worker's process if set, else from the database. Its password and the values of
     * its sensitive extra fields are masked as {@code ***} in this try's log from then on.
     *
     * @throws UnsupportedOperationException in a context that has no connections (the default)
     */
    default Optional<Connection> connection(String connId) {
        throw new UnsupportedOperationException("this task context (" + getClass().getName()
                + ") offers no connections");
    }
}
