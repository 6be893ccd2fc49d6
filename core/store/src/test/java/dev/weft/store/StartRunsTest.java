package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting a run schedules the first tasks its scheduler picks in the same transaction (a trigger's first task then
 * waits for no examination pass), only moves task instances that are still none, and leaves the run marked so the
 * scheduler's examination still follows.
 */
class StartRunsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void startingARunSchedulesThePickedTasksAndKeepsTheRunMarked() {
        try (TestDatabase db = TestDatabase.create()) {
            RunRecord run = queuedRun(db, "first_tasks");
            Map<Long, String> seenDags = new HashMap<>();
            List<TaskStateRow> seenStates = new ArrayList<>();

            List<Long> started = db.database().runs().startQueued(NOW, (dagByRun, states) -> {
                seenDags.putAll(dagByRun);
                seenStates.addAll(states);
                return states.stream().filter(s -> s.taskId().equals("a")).map(TaskStateRow::id).toList();
            });

            assertThat(started).containsExactly(run.id());
            assertThat(seenDags).containsExactly(Map.entry(run.id(), "first_tasks"));
            assertThat(seenStates).extracting(TaskStateRow::taskId).containsExactlyInAnyOrder("a", "b");
            assertThat(db.database().runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
            assertThat(states(db, run)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a", TaskState.SCHEDULED, "b", TaskState.NONE));
            assertThat(db.database().runs().takeRunsToExamine(10)).as("still marked").containsExactly(run.id());
        }
    }

    @Test
    void aTaskInstanceThatMovedMeanwhileIsLeftAsItIs() {
        try (TestDatabase db = TestDatabase.create()) {
            RunRecord run = queuedRun(db, "moved");
            db.database().jdbi().useHandle(h ->
                    h.execute("UPDATE task_instance SET state = 'skipped' WHERE run_pk = ? AND task_id = 'a'", run.id()));

            db.database().runs().startQueued(NOW, (dagByRun, states) -> states.stream().map(TaskStateRow::id).toList());

            assertThat(states(db, run)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a", TaskState.SKIPPED, "b", TaskState.SCHEDULED));
        }
    }

    @Test
    void nothingIsPickedWhenNoRunStarts() {
        try (TestDatabase db = TestDatabase.create()) {
            List<Long> picked = new ArrayList<>();
            assertThat(db.database().runs().startQueued(NOW, (dagByRun, states) -> {
                picked.addAll(dagByRun.keySet());
                return List.of();
            })).isEmpty();
            assertThat(picked).isEmpty();
        }
    }

    private static RunRecord queuedRun(TestDatabase db, String dagId) {
        var dag = Dag.builder(dagId);
        dag.task("a", OperatorRef.of("test.noop", Map.of())).then(dag.task("b", OperatorRef.of("test.noop", Map.of())));
        db.database().dags().upsert(dag.build(), "h", null, false, NOW);
        return db.database().runs().create(new NewRun(dagId, "r", RunType.MANUAL, NOW, new DataInterval(NOW, NOW),
                        true, Map.of(), null, null),
                List.of(new NewTaskInstance("a", "test.noop", 0, 1, "default_pool", 1),
                        new NewTaskInstance("b", "test.noop", 0, 1, "default_pool", 1)), NOW);
    }

    private static Map<String, TaskState> states(TestDatabase db, RunRecord run) {
        Map<String, TaskState> states = new HashMap<>();
        db.database().taskInstances().statesOf(List.of(run.id())).forEach(s -> states.put(s.taskId(), s.state()));
        return states;
    }
}
