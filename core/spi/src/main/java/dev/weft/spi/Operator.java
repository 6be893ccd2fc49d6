package dev.weft.spi;

/**
 * Does a task's work once. Returning means success (or skipped); throwing means failure, retried per the task's
 * policy — except {@link TaskFailException} (no retry) and {@link TaskSkipException} (skipped).
 * Long work should check {@link TaskContext#cancellation()}.
 */
@FunctionalInterface
public interface Operator<P> {
    OperatorResult execute(P params, TaskContext context) throws Exception;
}
