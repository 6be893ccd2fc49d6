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
