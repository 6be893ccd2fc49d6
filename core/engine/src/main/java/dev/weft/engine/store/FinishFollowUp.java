package dev.weft.engine.store;

import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a worker's write-back transaction does after writing outcomes and before committing (Airflow's "mini
 * scheduler", {@code schedule_after_task_execution}): from the states it reads in that transaction, it moves the
 * direct downstream task instances of the tries that succeeded from none to scheduled; and when the last task instance
 * of a run finished, it ends the run (Airflow leaves that to the scheduler: across processes it costs a wake-up and a
 * pass). Right after the commit, the worker queues scheduled work within {@link #parallelism} (into the slots the
 * write-back freed), so the next task can be claimed without waiting for a scheduler pass.
 *
 * <p>It only ever does a part of what the scheduler would do with the same states; every run it did not settle
 * completely is marked for the scheduler's examination in the same transaction, so a crash at any point leaves a
 * state the scheduler finishes.
 */
public interface FinishFollowUp {
    /** A try whose outcome the transaction wrote. */
    record Written(long id, long runPk, String dagId, String taskId, TaskState state) {
    }

    /**
     * The decision: task instances to move none → scheduled, the runs that still need the scheduler's examination
     * (the store also marks the runs of tries it did not write, and every run when a move lost a compare-and-set),
     * and the runs that may have ended: a leaf succeeded there, and nothing else is left to decide. When, with the
     * run's row locked (so that two write-backs cannot each see the other's last task still running), no task
     * instance of such a run is unfinished, the store ends it as {@link #runEnds} decides, or marks it.
     */
    record Plan(List<Long> schedule, Set<Long> runsToExamine, Set<Long> runsToExamineIfDone) {
    }

    /**
     * How a run ends that the write-back finished: its state, and the run callback to request with its end (null:
     * its DAG has none).
     */
    record RunEnd(RunState state, CallbackRequest callback) {
    }

    /** A run the write-back ended, for the worker to report (its start date says how long it ran). */
    record EndedRun(String dagId, String runId, RunState state, Instant startDate) {
    }

    /**
     * What the write-back did: outcomes written, task instances scheduled and queued, whether the schedulers are
     * needed (runs were marked for their examination, or the queueing was left to them), the runs it ended.
     */
    record Result(List<Written> written, int scheduled, int queued, boolean marked, List<EndedRun> ended) {
        /** This write-back with what was queued after it. */
        public Result withQueued(int queuedAfter) {
            return new Result(written, scheduled, queued + queuedAfter, marked, ended);
        }

        /** This write-back, with the schedulers needed for what could not be queued after it. */
        public Result withSchedulersNeeded() {
            return new Result(written, scheduled, queued, true, ended);
        }
    }

    /** Per run, the tasks whose task instances' states {@link #plan} needs; empty when it needs none. */
    Map<Long, Set<String>> tasksToRead(List<Written> written);

    /** Decides from the states read in the write-back transaction (the rows of {@link #tasksToRead}). */
    Plan plan(List<Written> written, List<TaskStateRow> states);

    /**
     * The global parallelism to queue within after the write-back committed (refilling the slots it freed, downstream
     * tasks included); 0 leaves queueing to the scheduler.
     */
    int parallelism();

    /**
     * How the given runs end, decided from all their task instances' states, read with their rows locked when none
     * of their task instances is unfinished (a leaf's success in {@link Plan#runsToExamineIfDone()} found them so).
     * The store ends each run given here in the write-back's transaction, so that the run's end does not wait for a
     * scheduler's pass; a run left out is marked for the scheduler's examination.
     */
    default Map<Long, RunEnd> runEnds(List<RunRecord> runs, List<TaskStateRow> states) {
        return Map.of();
    }

    /** The URIs of the datasets a successful try of the task updates (its outlets); each gets an event. */
    default List<String> outlets(String dagId, String taskId) {
        return List.of();
    }

    /** No follow-up: every run with a written outcome is marked for the scheduler, nothing is queued. */
    FinishFollowUp NONE = new FinishFollowUp() {
        @Override
        public Map<Long, Set<String>> tasksToRead(List<Written> written) {
            return Map.of();
        }

        @Override
        public Plan plan(List<Written> written, List<TaskStateRow> states) {
            return new Plan(List.of(), Set.copyOf(written.stream().map(Written::runPk).toList()), Set.of());
        }

        @Override
        public int parallelism() {
            return 0;
        }
    };
}
