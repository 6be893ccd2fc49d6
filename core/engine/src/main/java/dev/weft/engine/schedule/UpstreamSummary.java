package dev.weft.engine.schedule;

import dev.weft.spi.TaskState;

import java.util.Collection;

/**
 * The states of a task instance's direct upstream task instances, counted. Upstream instances in state
 * {@link TaskState#REMOVED} (their task left the DAG) are not part of the set.
 *
 * @param total          upstream task instances considered
 * @param success        in state success
 * @param skipped        in state skipped
 * @param failed         in state failed
 * @param upstreamFailed in state upstream_failed
 * @param done           finished: success, skipped, failed or upstream_failed
 */
public record UpstreamSummary(int total, int success, int skipped, int failed, int upstreamFailed, int done) {

    /** No upstream task instances. */
    public static final UpstreamSummary EMPTY = new UpstreamSummary(0, 0, 0, 0, 0, 0);

    public UpstreamSummary {
        if (total < 0 || success < 0 || skipped < 0 || failed < 0 || upstreamFailed < 0 || done < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (done != success + skipped + failed + upstreamFailed || done > total) {
            throw new IllegalArgumentException("inconsistent counts: done=" + done + " must equal success+skipped"
                    + "+failed+upstream_failed and be at most total=" + total);
        }
    }

    /** Counts the given upstream states; {@code null} means "no state yet" ({@link TaskState#NONE}). */
    public static UpstreamSummary of(Collection<TaskState> states) {
        int total = 0;
        int success = 0;
        int skipped = 0;
        int failed = 0;
        int upstreamFailed = 0;
        for (TaskState state : states) {
            TaskState s = state == null ? TaskState.NONE : state;
            if (s == TaskState.REMOVED) {
                continue;
            }
            total++;
            switch (s) {
                case SUCCESS -> success++;
                case SKIPPED -> skipped++;
                case FAILED -> failed++;
                case UPSTREAM_FAILED -> upstreamFailed++;
                default -> {
                }
            }
        }
        return new UpstreamSummary(total, success, skipped, failed, upstreamFailed,
                success + skipped + failed + upstreamFailed);
    }

    /** failed + upstream_failed. */
    public int anyFailed() {
        return failed + upstreamFailed;
    }

    /** Whether every upstream task instance has finished. */
    public boolean allDone() {
        return done >= total;
    }
}
