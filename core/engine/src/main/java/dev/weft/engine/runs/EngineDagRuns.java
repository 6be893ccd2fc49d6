package dev.weft.engine.runs;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.spi.DagRuns;
import dev.weft.spi.TaskKey;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@link DagRuns} capability given to one task try: it records that try as the trigger of what it creates. */
public final class EngineDagRuns implements DagRuns {
    private final RunService service;
    private final DagStore dags;
    private final RunStore runs;
    private final TaskInstanceStore taskInstances;
    private final DagCatalog catalog;
    private final TaskKey caller;

    public EngineDagRuns(RunService service, DagStore dags, RunStore runs, TaskInstanceStore taskInstances,
                         DagCatalog catalog, TaskKey caller) {
        this.service = service;
        this.dags = dags;
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.catalog = catalog;
        this.caller = caller;
    }

    @Override
    public RunInfo trigger(TriggerRequest request) {
        // A recursive clear cleared the run this task triggered before: run that one again, not a second one.
        Optional<RunRecord> awaiting = service.releaseAwaitingTrigger(request.dagId(), caller);
        if (awaiting.isPresent()) {
            return info(awaiting.get());
        }
        try {
            return info(service.trigger(new RunService.Trigger(request.dagId(), request.runId(),
                    request.logicalDate(), null, request.conf(), null, caller)));
        } catch (dev.weft.engine.runs.DagNotFoundException e) {
            throw new DagRuns.DagNotFoundException(request.dagId());
        } catch (RunConflictException e) {
            throw new DagRunExistsException(e.getMessage(), e.existingRunId());
        }
    }

    @Override
    public RunInfo clear(String dagId, String runId) {
        try {
            return info(service.clearRun(dagId, runId));
        } catch (dev.weft.engine.runs.DagNotFoundException e) {
            throw new DagRuns.DagNotFoundException(dagId);
        }
    }

    @Override
    public Optional<RunInfo> run(String dagId, String runId) {
        return runs.find(dagId, runId).map(EngineDagRuns::info);
    }

    @Override
    public Optional<RunInfo> runAt(String dagId, Instant logicalDate) {
        taskInstances.recordLookup(caller, dagId, List.of(), List.of(logicalDate));
        return runs.findAt(dagId, logicalDate).map(EngineDagRuns::info);
    }

    @Override
    public List<TaskStateInfo> taskStates(String dagId, Collection<String> taskIds, Collection<Instant> logicalDates) {
        // What a sensor looked at, so that a recursive clear of those tasks finds it (ExternalSensorEdge).
        taskInstances.recordLookup(caller, dagId, taskIds, logicalDates);
        return taskInstances.atLogicalDates(dagId, taskIds, logicalDates).stream()
                .map(ti -> new TaskStateInfo(ti.dagId(), ti.runId(), ti.logicalDate(), ti.taskId(), ti.state()))
                .toList();
    }

    @Override
    public Optional<DagInfo> dag(String dagId) {
        return dags.find(dagId).filter(DagRecord::active).map(d -> new DagInfo(d.dagId(), d.spec().schedule(),
                d.paused(), d.spec().tasks().stream().map(t -> t.taskId()).toList()));
    }

    @Override
    public List<Instant> scheduledLogicalDatesNear(String dagId, Instant around, int count) {
        Optional<CompiledDag> dag = catalog.get(dagId);
        if (dag.isEmpty() || !dag.get().timetable().isScheduled()) {
            return List.of();
        }
        return dag.get().timetable().logicalDatesNear(around, count);
    }

    @Override
    public List<String> offScheduleRunReasons(String dagId) {
        int external = runs.countExternallyTriggered(dagId);
        return external == 0 ? List.of() : List.of("DAG '" + dagId + "' has had " + external
                + " run(s) triggered by hand or by another DAG, which may come at any logical date");
    }

    private static RunInfo info(RunRecord run) {
        return new RunInfo(run.dagId(), run.runId(), run.runType(), run.logicalDate(), run.state(), run.conf());
    }
}
