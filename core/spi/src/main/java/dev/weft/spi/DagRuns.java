package dev.weft.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The capability to trigger DAG runs and read run and task states, given to operators and sensors through their
 * context. Plugins state intent; the engine acts.
 */
public interface DagRuns {

    /** Triggers a manual run ({@code external_trigger = true}) and records which task triggered it. */
    RunInfo trigger(TriggerRequest request) throws DagNotFoundException, DagRunExistsException;

    /** Clears every task of an existing run so it runs again; its conf is kept. */
    RunInfo clear(String dagId, String runId) throws DagNotFoundException;

    Optional<RunInfo> run(String dagId, String runId);

    Optional<RunInfo> runAt(String dagId, Instant logicalDate);

    /** The states of the given tasks in the runs of {@code dagId} at the given logical dates. */
    List<TaskStateInfo> taskStates(String dagId, Collection<String> taskIds, Collection<Instant> logicalDates);

    /** The DAG as registered, or empty when no such DAG is known (or it is inactive). */
    Optional<DagInfo> dag(String dagId);

    /**
     * Logical dates the DAG's schedule produces nearest to {@code around}: up to {@code count} before and
     * {@code count} at or after it. Empty for unscheduled DAGs.
     */
    List<Instant> scheduledLogicalDatesNear(String dagId, Instant around, int count);

    /**
     * Why runs of the DAG may come at logical dates its schedule does not produce, one reason each (e.g. the manual or
     * triggered runs it has had); empty when nothing says so.
     */
    default List<String> offScheduleRunReasons(String dagId) {
        return List.of();
    }

    record TriggerRequest(String dagId, String runId, Instant logicalDate, Map<String, Object> conf) {
    }

    record RunInfo(String dagId, String runId, RunType runType, Instant logicalDate, RunState state,
                   Map<String, Object> conf) {
    }

    record TaskStateInfo(String dagId, String runId, Instant logicalDate, String taskId, TaskState state) {
    }

    record DagInfo(String dagId, String schedule, boolean paused, List<String> taskIds) {
    }

    class DagNotFoundException extends RuntimeException {
        public DagNotFoundException(String dagId) {
            super("DAG '" + dagId + "' not found");
        }
    }

    class DagRunExistsException extends RuntimeException {
        private final String existingRunId;

        public DagRunExistsException(String message, String existingRunId) {
            super(message);
            this.existingRunId = existingRunId;
        }

        public String existingRunId() {
            return existingRunId;
        }
    }
}
