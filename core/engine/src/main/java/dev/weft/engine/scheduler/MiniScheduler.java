package dev.weft.engine.scheduler;

import dev.weft.engine.callbacks.CallbackRequests;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.TaskSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a scheduling decision a worker takes in its write-back transaction (Airflow's mini scheduler): when a
 * try succeeded, its direct downstream task instances in the same run whose trigger rule is now met move from none to
 * scheduled, decided by {@link RunDecider} from the states read in that transaction, and the store queues them within
 * the limits. It decides from store data only and never talks to a {@link Scheduler}.
 *
 * <p>A run is left unmarked only when this settled everything its written tries could change: each one succeeded
 * and every waiting downstream task instance was scheduled (a leaf has none, but the run may have ended: when no task
 * instance of it is left unfinished, this ends it as the scheduler would, or the store marks it), or it waits to run
 * again (up for retry or
 * reschedule: its task is unfinished, so no trigger rule or run state can change, and the scheduler's due-time step
 * brings it back). Anything else (a failure, a skip or upstream failure to propagate, a downstream that must still
 * wait, a task that left the DAG) marks the run and the scheduler decides, as it would have without this.
 */
public final class MiniScheduler implements FinishFollowUp {
    private final DagCatalog catalog;
    private final int parallelism;

    /** @param parallelism the global parallelism to queue within, as the scheduler's; 0 leaves queueing to it */
    public MiniScheduler(DagCatalog catalog, int parallelism) {
        this.catalog = catalog;
        this.parallelism = parallelism;
    }

    @Override
    public Map<Long, Set<String>> tasksToRead(List<Written> written) {
        Map<Long, Set<String>> read = new HashMap<>();
        for (Written w : written) {
            if (w.state() != TaskState.SUCCESS) {
                continue;
            }
            Optional<CompiledDag> dag = catalog.get(w.dagId());
            if (dag.isEmpty()) {
                continue;
            }
            for (String down : dag.get().downstream(w.taskId())) {
                TaskSpec task = dag.get().task(down);
                Set<String> tasks = read.computeIfAbsent(w.runPk(), k -> new HashSet<>());
                tasks.add(down);
                tasks.addAll(task.upstream());
            }
        }
        return read;
    }

    @Override
    public Plan plan(List<Written> written, List<TaskStateRow> states) {
        Map<Long, List<TaskStateRow>> byRun = RunDecider.byRun(states);
        Map<Long, CompiledDag> dagOfRun = new HashMap<>();
        Map<Long, Set<String>> candidatesByRun = new HashMap<>();
        Set<Long> toExamine = new LinkedHashSet<>();
        Set<Long> ifDone = new LinkedHashSet<>();
        for (Written w : written) {
            if (w.state() == TaskState.UP_FOR_RETRY || w.state() == TaskState.UP_FOR_RESCHEDULE) {
                // Most re-pokes of waiting sensors end here: marking would make the scheduler re-read the whole run.
                continue;
            }
            CompiledDag dag = catalog.get(w.dagId()).orElse(null);
            if (w.state() != TaskState.SUCCESS || dag == null || dag.task(w.taskId()) == null) {
                toExamine.add(w.runPk());
                continue;
            }
            if (dag.isLeaf(w.taskId())) {
                ifDone.add(w.runPk());
                continue;
            }
            dagOfRun.put(w.runPk(), dag);
            candidatesByRun.computeIfAbsent(w.runPk(), k -> new HashSet<>()).addAll(dag.downstream(w.taskId()));
        }
        List<Long> schedule = new ArrayList<>();
        candidatesByRun.forEach((runPk, candidates) -> {
            List<TaskStateRow> rows = byRun.getOrDefault(runPk, List.of());
            RunDecision decision = RunDecider.decide(dagOfRun.get(runPk), rows, candidates);
            schedule.addAll(decision.schedule());
            long waiting = rows.stream()
                    .filter(r -> candidates.contains(r.taskId()) && r.state() == TaskState.NONE).count();
            long present = rows.stream().filter(r -> candidates.contains(r.taskId())).count();
            if (decision.schedule().size() < waiting || present < candidates.size() || !decision.removed().isEmpty()) {
                toExamine.add(runPk);
            }
        });
        ifDone.removeAll(toExamine);
        return new Plan(schedule, toExamine, ifDone);
    }

    /**
     * The runs' ends as the scheduler's examination decides them, with the same callbacks. None of their task
     * instances is unfinished, so the decision moves none (no trigger rule waits, no waiting task instance can be
     * removed): it is the run's end alone.
     */
    @Override
    public Map<Long, RunEnd> runEnds(List<RunRecord> runs, List<TaskStateRow> states) {
        Map<Long, List<TaskStateRow>> byRun = RunDecider.byRun(states);
        Map<Long, RunEnd> ends = new HashMap<>();
        for (RunRecord run : runs) {
            CompiledDag dag = catalog.get(run.dagId()).orElse(null);
            if (dag == null) {
                continue;
            }
            RunDecision decision = RunDecider.decide(dag, byRun.getOrDefault(run.id(), List.of()));
            if (decision.finalState() != null) {
                ends.put(run.id(), new RunEnd(decision.finalState(), CallbackRequests.forRunDecided(dag.spec(),
                        run.id(), run.runId(), decision.finalState())));
            }
        }
        return ends;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public List<String> outlets(String dagId, String taskId) {
        return catalog.get(dagId).map(d -> d.task(taskId)).map(TaskSpec::outlets).orElse(List.of());
    }
}
