package dev.weft.engine.schedule;

import dev.weft.spi.dag.TriggerRule;

/**
 * Airflow's trigger rules as a pure function: given a task's rule and the states of its direct upstream task
 * instances, whether it may run now, must wait, or can never run (and which state it then gets). This is the
 * scheduler's evaluation (Airflow's {@code flag_upstream_failed=True}): a rule that can no longer be met moves
 * the task to {@code skipped} or {@code upstream_failed} at once, without waiting for the remaining upstream.
 */
public final class TriggerRules {

    /** What to do with a task instance whose upstream looks like this. */
    public enum Decision {
        /** The rule is met: the task may be scheduled. */
        RUN,
        /** Not met yet, but still may be: look again when an upstream task changes state. */
        WAIT,
        /** The rule can no longer be met: set the task to {@code skipped}. */
        SKIP,
        /** The rule can no longer be met: set the task to {@code upstream_failed}. */
        UPSTREAM_FAILED
    }

    private TriggerRules() {
    }

    /** Decides for one task instance. A task without upstream (after ignoring removed ones) always runs. */
    public static Decision decide(TriggerRule rule, UpstreamSummary up) {
        if (up.total() == 0 || rule == TriggerRule.ALWAYS) {
            return Decision.RUN;
        }
        int total = up.total();
        return switch (rule) {
            case ALL_SUCCESS -> {
                if (up.anyFailed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                if (up.skipped() > 0) {
                    yield Decision.SKIP;
                }
                yield up.success() == total ? Decision.RUN : Decision.WAIT;
            }
            case ALL_FAILED -> {
                if (up.success() > 0 || up.skipped() > 0) {
                    yield Decision.SKIP;
                }
                yield up.anyFailed() == total ? Decision.RUN : Decision.WAIT;
            }
            case ALL_DONE -> up.allDone() ? Decision.RUN : Decision.WAIT;
            case ONE_SUCCESS -> {
                if (up.success() > 0) {
                    yield Decision.RUN;
                }
                if (!up.allDone()) {
                    yield Decision.WAIT;
                }
                yield up.skipped() == up.done() ? Decision.SKIP : Decision.UPSTREAM_FAILED;
            }
            case ONE_FAILED -> {
                if (up.anyFailed() > 0) {
                    yield Decision.RUN;
                }
                yield up.allDone() ? Decision.SKIP : Decision.WAIT;
            }
            case ONE_DONE -> {
                if (up.success() + up.failed() > 0) {
                    yield Decision.RUN;
                }
                yield up.allDone() ? Decision.SKIP : Decision.WAIT;
            }
            case NONE_FAILED -> {
                if (up.anyFailed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                yield up.success() + up.skipped() == total ? Decision.RUN : Decision.WAIT;
            }
            case NONE_FAILED_MIN_ONE_SUCCESS -> {
                if (up.anyFailed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                if (up.skipped() == total) {
                    yield Decision.SKIP;
                }
                yield up.success() + up.skipped() == total ? Decision.RUN : Decision.WAIT;
            }
            case NONE_SKIPPED -> {
                if (up.skipped() > 0) {
                    yield Decision.SKIP;
                }
                yield up.allDone() ? Decision.RUN : Decision.WAIT;
            }
            case ALL_SKIPPED -> {
                if (up.success() > 0 || up.anyFailed() > 0) {
                    yield Decision.SKIP;
                }
                yield up.skipped() == total ? Decision.RUN : Decision.WAIT;
            }
            case ALWAYS -> Decision.RUN;
        };
    }
}
