package dev.weft.engine.runs;

import dev.weft.engine.dag.DagDependencies;
import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.TaskInstanceRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * From a task to the external-task sensors that waited on it at its logical date, and every task downstream of them in
 * their runs (Airflow's ExternalTaskMarker, derived without marker code). Which date a sensor looked at
 * ({@code execution_delta}, {@code execution_date_fn}, a rendered {@code execution_date}) is what the engine recorded
 * when the sensor asked for the states: the walk never recomputes it.
 */
public final class ExternalSensorEdge implements ClearEdge {
    /** The task instances that looked at a task (or its whole run) at a logical date: {@code TaskInstanceStore.lookedAtBy}. */
    @FunctionalInterface
    public interface Watchers {
        List<TaskInstanceRecord> of(String dagId, String taskId, Instant logicalDate);
    }

    private final Watchers watchers;
    private final LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun;
    private final Function<String, Optional<CompiledDag>> dags;

    public ExternalSensorEdge(Watchers watchers, LongFunction<List<TaskInstanceRecord>> taskInstancesOfRun,
                              Function<String, Optional<CompiledDag>> dags) {
        this.watchers = watchers;
        this.taskInstancesOfRun = taskInstancesOfRun;
        this.dags = dags;
    }

    @Override
    public String kind() {
        return DagDependencies.Kind.WAITS_FOR.wireName();
    }

    @Override
    public List<Reach> follow(TaskInstanceRecord cleared) {
        Map<Long, List<String>> sensorsByRun = new LinkedHashMap<>();
        for (TaskInstanceRecord sensor : watchers.of(cleared.dagId(), cleared.taskId(), cleared.logicalDate())) {
            if (sensor.id() != cleared.id()) {
                sensorsByRun.computeIfAbsent(sensor.runPk(), k -> new ArrayList<>()).add(sensor.taskId());
            }
        }
        List<Reach> reached = new ArrayList<>();
        for (Map.Entry<Long, List<String>> run : sensorsByRun.entrySet()) {
            List<TaskInstanceRecord> tis = taskInstancesOfRun.apply(run.getKey());
            if (tis.isEmpty()) {
                continue;
            }
            // The sensor's DAG as it is now; a DAG that is gone clears the sensors alone.
            Set<String> tasks = dags.apply(tis.get(0).dagId())
                    .map(dag -> RunService.relatives(dag, run.getValue(), false, true))
                    .orElseGet(() -> Set.copyOf(run.getValue()));
            reached.add(new Reach(tis.stream().filter(ti -> tasks.contains(ti.taskId())).toList(), false));
        }
        return reached;
    }
}
