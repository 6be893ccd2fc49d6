package dev.weft.spi;

import java.util.Collection;
import java.util.Set;

/** How an operator's try ended, when it did not throw. */
public sealed interface OperatorResult {
    /** The task succeeded; {@code output} (JSON-like, may be null) is stored as the task's output. */
    record Success(Object output) implements OperatorResult {
    }

    /** The task is skipped; downstream tasks follow their trigger rules. */
    record Skipped(String reason) implements OperatorResult {
    }

    /**
     * The task succeeded and chose which of its direct downstream tasks run (Airflow's branching): the engine skips
     * every other direct downstream task, except those downstream of a followed one (so a join that also hangs off
     * the branch task runs); their own downstream tasks then follow their trigger rules. Every id must name a task
     * of the DAG, or the try fails. An empty {@code follow} skips all direct downstream tasks.
     */
    record Branch(Object output, Set<String> follow) implements OperatorResult {
        public Branch {
            follow = Set.copyOf(follow);
        }
    }

    /**
     * The task succeeded and every task downstream of it, direct or not, is skipped whatever its trigger rule
     * (Airflow's short-circuit with {@code ignore_downstream_trigger_rules}).
     */
    record SkipAllDownstream(Object output) implements OperatorResult {
    }

    static OperatorResult success() {
        return new Success(null);
    }

    static OperatorResult success(Object output) {
        return new Success(output);
    }

    static OperatorResult skipped(String reason) {
        return new Skipped(reason);
    }

    /** Succeeds and runs only {@code follow} of the direct downstream tasks; see {@link Branch}. */
    static OperatorResult branch(Object output, Collection<String> follow) {
        return new Branch(output, Set.copyOf(follow));
    }

    /** Succeeds and skips every task downstream; see {@link SkipAllDownstream}. */
    static OperatorResult skipAllDownstream(Object output) {
        return new SkipAllDownstream(output);
    }
}
