package dev.weft.engine.runs;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.RunStore;
import dev.weft.spi.dag.TaskSpec;

import java.time.Clock;
import java.util.List;

/** Creates runs with one task instance per task of the DAG: the one path for scheduled, manual and backfill runs. */
public final class RunFactory {
    private final RunStore runs;
    private final Clock clock;

    public RunFactory(RunStore runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    /** @throws dev.weft.engine.store.RunConflictException when the run id or logical date is taken */
    public RunRecord create(CompiledDag dag, NewRun run) {
        return create(runs, dag, run);
    }

    /** As {@link #create(CompiledDag, NewRun)}, in the transaction {@code in} belongs to. */
    public RunRecord create(RunStore in, CompiledDag dag, NewRun run) {
        List<NewTaskInstance> tasks = dag.topologicalOrder().stream().map(id -> newTask(dag, dag.task(id))).toList();
        return in.create(run, tasks, clock.instant());
    }

    private static NewTaskInstance newTask(CompiledDag dag, TaskSpec task) {
        return new NewTaskInstance(task.taskId(), task.type(), task.retries(), dag.priorityWeight(task.taskId()),
                task.pool(), task.poolSlots());
    }
}
