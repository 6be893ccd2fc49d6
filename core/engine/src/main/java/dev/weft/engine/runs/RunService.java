package dev.weft.engine.runs;

import dev.weft.engine.Signal;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskKey;
import dev.weft.spi.dag.TaskSpec;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Triggering and clearing runs: what the API, the CLI, the UI and the trigger-dag-run operator ask for. */
public final class RunService {
    private final DagStore dags;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final DagCatalog catalog;
    private final RunFactory runFactory;
    private final Signal schedulerSignal;
    private final Clock clock;

    public RunService(DagStore dags, RunStore runs, TaskInstanceStore taskInstances, DagCatalog catalog,
                      RunFactory runFactory, Signal schedulerSignal, Clock clock) {
        this.dags = dags;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.catalog = catalog;
        this.runFactory = runFactory;
        this.schedulerSignal = schedulerSignal;
        this.clock = clock;
    }

    /** A manual trigger's request; null run id and logical date take their defaults. */
    public record Trigger(String dagId, String runId, Instant logicalDate, DataInterval dataInterval,
                          Map<String, Object> conf, String note, TaskKey triggeredBy) {
    }

    /**
     * Creates a manual run ({@code external_trigger = true}, state queued). The logical date defaults to now; the run
     * id to {@code manual__<logical date>}; the data interval is inferred from the schedule (Airflow B6.9).
     *
     * @throws DagNotFoundException                       for an unknown or inactive DAG
     * @throws IllegalArgumentException                   for a run id Airflow would refuse
     * @throws dev.weft.engine.store.RunConflictException when the run id or the logical date is taken
     */
    public RunRecord trigger(Trigger request) {
        CompiledDag dag = activeDag(request.dagId());
        Instant logicalDate = request.logicalDate() != null ? request.logicalDate() : clock.instant();
        String runId = request.runId() != null ? request.runId() : RunIds.generate(RunType.MANUAL, logicalDate);
        if (!RunIds.ALLOWED.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId
                    + "' is not allowed: use letters, digits and _ . ~ : + - only");
        }
        DataInterval interval = request.dataInterval() != null ? request.dataInterval()
                : dag.timetable().manualInterval(logicalDate);
        RunRecord run = runFactory.create(dag, new NewRun(dag.dagId(), runId, RunType.ofRunId(runId), logicalDate,
                interval, true, request.conf() == null ? Map.of() : request.conf(), request.note(),
                request.triggeredBy()));
        schedulerSignal.signal();
        return run;
    }

    CompiledDag activeDag(String dagId) {
        dags.header(dagId).filter(DagStore.DagHeader::active).orElseThrow(() -> new DagNotFoundException(dagId));
        return catalog.get(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
    }

    /** Clears every task of a run so it runs again; its conf is kept. */
    public RunRecord clearRun(String dagId, String runId) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        CompiledDag dag = activeDag(dagId);
        clear(dag, taskInstances.ofRun(run.id()));
        return runs.find(run.id()).orElseThrow();
    }

    /**
     * Clears the given tasks of a run, and with {@code downstream} every task downstream of them, so they run again.
     * Returns the task instances cleared.
     */
    public List<TaskInstanceRecord> clearTasks(String dagId, String runId, Collection<String> taskIds,
                                               boolean downstream) {
        RunRecord run = runs.find(dagId, runId).orElseThrow(() -> new RunNotFoundException(dagId, runId));
        CompiledDag dag = activeDag(dagId);
        Set<String> selected = new HashSet<>(taskIds);
        if (downstream) {
            Deque<String> todo = new ArrayDeque<>(taskIds);
            while (!todo.isEmpty()) {
                for (String d : dag.downstream(todo.poll())) {
                    if (selected.add(d)) {
                        todo.add(d);
                    }
                }
            }
        }
        List<TaskInstanceRecord> chosen = taskInstances.ofRun(run.id()).stream()
                .filter(ti -> selected.contains(ti.taskId())).toList();
        clear(dag, chosen);
        return chosen;
    }

    private void clear(CompiledDag dag, List<TaskInstanceRecord> tis) {
        Map<Long, Integer> retries = new HashMap<>();
        for (TaskInstanceRecord ti : tis) {
            TaskSpec task = dag.task(ti.taskId());
            retries.put(ti.id(), task == null ? 0 : task.retries());
        }
        Instant now = clock.instant();
        for (Long runId : taskInstances.clear(retries, now)) {
            runs.requeue(runId, now);
        }
        schedulerSignal.signal();
    }
}
