package dev.weft.engine.scheduler;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A task that left the DAG while a run was unfinished becomes removed there, and the run can still end. */
class RunDeciderRemovedTest {
    @Test
    void waitingTaskInstancesOfATaskThatLeftTheDagAreRemoved() {
        var b = Dag.builder("d");
        b.task("a", OperatorRef.of("standard.empty", Map.of()));
        CompiledDag dag = new CompiledDag(b.build(), "v2"); // version 2 no longer has 'gone' nor 'retrying'
        RunDecision decision = RunDecider.decide(dag, List.of(
                new TaskStateRow(1, 10, "a", TaskState.SUCCESS, 1, 1),
                new TaskStateRow(2, 10, "gone", TaskState.NONE, 0, 1),
                new TaskStateRow(3, 10, "retrying", TaskState.UP_FOR_RETRY, 1, 2)));
        assertThat(decision.removed()).containsEntry(TaskState.NONE, List.of(2L))
                .containsEntry(TaskState.UP_FOR_RETRY, List.of(3L));
        assertThat(decision.finalState()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aRunningTryOfARemovedTaskFinishesFirst() {
        var b = Dag.builder("d");
        b.task("a", OperatorRef.of("standard.empty", Map.of()));
        RunDecision decision = RunDecider.decide(new CompiledDag(b.build(), "v2"), List.of(
                new TaskStateRow(1, 10, "a", TaskState.SUCCESS, 1, 1),
                new TaskStateRow(2, 10, "gone", TaskState.RUNNING, 1, 1)));
        assertThat(decision.removed()).isEmpty();
        assertThat(decision.finalState()).isNull();
    }
}
