package dev.weft.testkit;

import dev.weft.engine.runs.RunIds;
import dev.weft.spi.IsoDates;
import dev.weft.spi.DagRuns;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A small in-memory {@link DagRuns} for tests: register DAGs, their runs and task states, then let the code under
 * test trigger, clear and read them. Triggered and cleared runs are recorded for assertions.
 *
 * <p>Unlike the engine it computes no schedules: {@link #scheduledLogicalDatesNear} answers from the logical dates a
 * test registered with {@link #scheduledLogicalDates}. All methods are synchronized.
 */
public final class InMemoryDagRuns implements DagRuns {
    private final Clock clock;
    private final Map<String, DagInfo> dags = new LinkedHashMap<>();
    private final Map<String, NavigableSet<Instant>> logicalDates = new LinkedHashMap<>();
    /** dagId → runId → run. */
    private final Map<String, Map<String, RunInfo>> runs = new LinkedHashMap<>();
    /** dagId → runId → taskId → state. */
    private final Map<String, Map<String, Map<String, TaskState>>> taskStates = new LinkedHashMap<>();
    private final List<TriggerRequest> triggerRequests = new ArrayList<>();
    private final List<RunInfo> triggered = new ArrayList<>();
    private final List<RunInfo> cleared = new ArrayList<>();

    /** Uses the system UTC clock for runs triggered without a logical date. */
    public InMemoryDagRuns() {
        this(Clock.systemUTC());
    }

    /** Uses {@code clock} for runs triggered without a logical date. */
    public InMemoryDagRuns(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- set-up -------------------------------------------------------------------------------------------------

    /** Registers (or replaces) a DAG: its id, schedule ({@code null} for none) and task ids. */
    public synchronized InMemoryDagRuns registerDag(String dagId, String schedule, String... taskIds) {
        return registerDag(new DagInfo(dagId, schedule, false, List.of(taskIds)));
    }

    public synchronized InMemoryDagRuns registerDag(DagInfo dag) {
        dags.put(dag.dagId(), new DagInfo(dag.dagId(), dag.schedule(), dag.paused(), List.copyOf(dag.taskIds())));
        return this;
    }

    /** The logical dates the DAG's schedule produces, as the engine would compute them (the test lists them). */
    public synchronized InMemoryDagRuns scheduledLogicalDates(String dagId, Instant... dates) {
        return scheduledLogicalDates(dagId, Arrays.asList(dates));
    }

    public synchronized InMemoryDagRuns scheduledLogicalDates(String dagId, Collection<Instant> dates) {
        logicalDates.computeIfAbsent(dagId, k -> new TreeSet<>()).addAll(dates);
        return this;
    }

    /**
     * Adds a run as if the scheduler had made it ({@link RunType#SCHEDULED}, id {@code scheduled__<date>}).
     * The DAG must be registered.
     */
    public synchronized RunInfo addRun(String dagId, Instant logicalDate, RunState state) {
        return addRun(dagId, RunIds.generate(RunType.SCHEDULED, logicalDate), logicalDate, state, Map.of());
    }

    /** Adds a run with the given id; its type follows the id's prefix. The DAG must be registered. */
    public synchronized RunInfo addRun(String dagId, String runId, Instant logicalDate, RunState state,
                                       Map<String, Object> conf) {
        requireDag(dagId);
        Optional<RunInfo> clash = existing(dagId, runId, logicalDate);
        if (clash.isPresent()) {
            throw new IllegalStateException("DAG '" + dagId + "' already has run '" + clash.get().runId()
                    + "' (logical date " + clash.get().logicalDate() + ")");
        }
        RunInfo run = new RunInfo(dagId, runId, RunType.ofRunId(runId), logicalDate, state, copy(conf));
        runs.computeIfAbsent(dagId, k -> new LinkedHashMap<>()).put(runId, run);
        return run;
    }

    public synchronized InMemoryDagRuns setRunState(String dagId, String runId, RunState state) {
        RunInfo run = requireRun(dagId, runId);
        runs.get(dagId).put(runId, new RunInfo(dagId, runId, run.runType(), run.logicalDate(), state, run.conf()));
        return this;
    }

    public synchronized InMemoryDagRuns setTaskState(String dagId, String runId, String taskId, TaskState state) {
        requireRun(dagId, runId);
        taskStates.computeIfAbsent(dagId, k -> new LinkedHashMap<>())
                .computeIfAbsent(runId, k -> new LinkedHashMap<>())
                .put(taskId, state);
        return this;
    }

    /** Sets a task's state in the run at {@code logicalDate}, which must exist. */
    public synchronized InMemoryDagRuns setTaskState(String dagId, Instant logicalDate, String taskId, TaskState state) {
        RunInfo run = runAt(dagId, logicalDate).orElseThrow(() -> new NoSuchElementException(
                "DAG '" + dagId + "' has no run at " + logicalDate));
        return setTaskState(dagId, run.runId(), taskId, state);
    }

    // ---- what happened ------------------------------------------------------------------------------------------

    /** The requests passed to {@link #trigger}, in order, including refused ones. */
    public synchronized List<TriggerRequest> triggerRequests() {
        return List.copyOf(triggerRequests);
    }

    /** The runs {@link #trigger} created, in order, as they were when created. */
    public synchronized List<RunInfo> triggered() {
        return List.copyOf(triggered);
    }

    /** The runs {@link #clear} cleared, in order, as they were after clearing. */
    public synchronized List<RunInfo> cleared() {
        return List.copyOf(cleared);
    }

    /** Every run of the DAG, in the order they were added. */
    public synchronized List<RunInfo> runs(String dagId) {
        return List.copyOf(runs.getOrDefault(dagId, Map.of()).values());
    }

    // ---- DagRuns ------------------------------------------------------------------------------------------------

    /**
     * Creates a {@code queued} run. Without a run id it is {@code manual__<ISO logical date>}; without a logical date
     * it is the clock's now. A run with the same id or logical date → {@link DagRunExistsException}.
     */
    @Override
    public synchronized RunInfo trigger(TriggerRequest request) {
        triggerRequests.add(request);
        requireDag(request.dagId());
        Instant logicalDate = request.logicalDate() != null ? request.logicalDate() : clock.instant();
        String runId = request.runId() != null ? request.runId() : RunIds.generate(RunType.MANUAL, logicalDate);
        Optional<RunInfo> clash = existing(request.dagId(), runId, logicalDate);
        if (clash.isPresent()) {
            RunInfo c = clash.get();
            String why = c.runId().equals(runId) ? "with run id '" + runId + "'"
                    : "at logical date " + IsoDates.isoformat(logicalDate);
            throw new DagRunExistsException("A DAG run of '" + request.dagId() + "' " + why + " already exists: '"
                    + c.runId() + "'", c.runId());
        }
        RunInfo run = new RunInfo(request.dagId(), runId, RunType.ofRunId(runId), logicalDate, RunState.QUEUED,
                copy(request.conf()));
        runs.computeIfAbsent(request.dagId(), k -> new LinkedHashMap<>()).put(runId, run);
        triggered.add(run);
        return run;
    }

    /** Sets the run back to {@code queued} and forgets its task states; the conf is kept. */
    @Override
    public synchronized RunInfo clear(String dagId, String runId) {
        requireDag(dagId);
        RunInfo run = requireRun(dagId, runId);
        RunInfo reset = new RunInfo(dagId, runId, run.runType(), run.logicalDate(), RunState.QUEUED, run.conf());
        runs.get(dagId).put(runId, reset);
        Map<String, Map<String, TaskState>> byRun = taskStates.get(dagId);
        if (byRun != null) {
            byRun.remove(runId);
        }
        cleared.add(reset);
        return reset;
    }

    @Override
    public synchronized Optional<RunInfo> run(String dagId, String runId) {
        return Optional.ofNullable(runs.getOrDefault(dagId, Map.of()).get(runId));
    }

    @Override
    public synchronized Optional<RunInfo> runAt(String dagId, Instant logicalDate) {
        return runs.getOrDefault(dagId, Map.of()).values().stream()
                .filter(r -> r.logicalDate().equals(logicalDate))
                .findFirst();
    }

    /**
     * For every run at one of the dates, one entry per requested task: its state as set, or {@link TaskState#NONE}
     * when the task belongs to the registered DAG but has no state yet. Tasks neither set nor registered are left out.
     */
    @Override
    public synchronized List<TaskStateInfo> taskStates(String dagId, Collection<String> taskIds,
                                                       Collection<Instant> dates) {
        List<TaskStateInfo> result = new ArrayList<>();
        DagInfo dag = dags.get(dagId);
        for (Instant date : new LinkedHashSet<>(dates)) {
            Optional<RunInfo> run = runAt(dagId, date);
            if (run.isEmpty()) {
                continue;
            }
            Map<String, TaskState> states = taskStates.getOrDefault(dagId, Map.of())
                    .getOrDefault(run.get().runId(), Map.of());
            for (String taskId : new LinkedHashSet<>(taskIds)) {
                TaskState state = states.get(taskId);
                if (state == null && dag != null && dag.taskIds().contains(taskId)) {
                    state = TaskState.NONE;
                }
                if (state != null) {
                    result.add(new TaskStateInfo(dagId, run.get().runId(), date, taskId, state));
                }
            }
        }
        return result;
    }

    @Override
    public synchronized Optional<DagInfo> dag(String dagId) {
        return Optional.ofNullable(dags.get(dagId));
    }

    /** Up to {@code count} registered logical dates before {@code around} and {@code count} at or after it. */
    @Override
    public synchronized List<Instant> scheduledLogicalDatesNear(String dagId, Instant around, int count) {
        NavigableSet<Instant> dates = logicalDates.get(dagId);
        if (dates == null) {
            return List.of();
        }
        List<Instant> result = new ArrayList<>();
        dates.headSet(around, false).descendingSet().stream().limit(count).forEach(result::add);
        dates.tailSet(around, true).stream().limit(count).forEach(result::add);
        result.sort(Comparator.naturalOrder());
        return List.copyOf(result);
    }

    /** As the engine answers: the DAG's manual runs (added with a {@code manual__} run id, or triggered) count. */
    @Override
    public synchronized List<String> offScheduleRunReasons(String dagId) {
        long manual = runs.getOrDefault(dagId, Map.of()).values().stream()
                .filter(r -> r.runType() == RunType.MANUAL).count();
        return manual == 0 ? List.of() : List.of("DAG '" + dagId + "' has had " + manual + " manual run(s)");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Optional<RunInfo> existing(String dagId, String runId, Instant logicalDate) {
        Map<String, RunInfo> byId = runs.getOrDefault(dagId, Map.of());
        RunInfo sameId = byId.get(runId);
        if (sameId != null) {
            return Optional.of(sameId);
        }
        return byId.values().stream().filter(r -> r.logicalDate().equals(logicalDate)).findFirst();
    }

    private DagInfo requireDag(String dagId) {
        DagInfo dag = dags.get(dagId);
        if (dag == null) {
            throw new DagNotFoundException(dagId);
        }
        return dag;
    }

    private RunInfo requireRun(String dagId, String runId) {
        RunInfo run = runs.getOrDefault(dagId, Map.of()).get(runId);
        if (run == null) {
            throw new NoSuchElementException("DAG '" + dagId + "' has no run '" + runId + "'");
        }
        return run;
    }

    private static Map<String, Object> copy(Map<String, Object> conf) {
        return conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }
}
