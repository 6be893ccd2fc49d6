package dev.weft.engine.grid;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.QueryStore.GridCell;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GridTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** c after b after a, declared in another order so the rows must follow the dependencies. */
    private static CompiledDag dag() {
        var b = Dag.builder("d");
        var c = b.task("c", OperatorRef.of("standard.empty", Map.of()));
        var a = b.task("a", OperatorRef.of("standard.empty", Map.of()));
        var bb = b.task("b", OperatorRef.of("standard.empty", Map.of()));
        a.then(bb).then(c);
        return new CompiledDag(b.build(), "v1");
    }

    private static RunRecord run(long id, int day) {
        Instant at = T0.plusSeconds(86_400L * day);
        return new RunRecord(id, "d", "scheduled__" + day, RunType.SCHEDULED, at, at, at, RunState.SUCCESS, false,
                Map.of(), null, null, null, null, null, 0, null, null, null, at, false);
    }

    private static GridCell cell(long run, String task, TaskState state) {
        return new GridCell(run, task, state, 1, null, null, null);
    }

    @Test
    void runsAreColumnsOldestFirstAndTasksAreRowsUpstreamFirst() {
        List<RunRecord> newestFirst = List.of(run(3, 3), run(2, 2), run(1, 1));
        Grid grid = Grid.build(dag(), newestFirst, 3, List.of(cell(1, "a", TaskState.SUCCESS),
                cell(3, "c", TaskState.FAILED), cell(2, "b", TaskState.RUNNING)));
        assertThat(grid.runs()).extracting(RunRecord::runId).containsExactly("scheduled__1", "scheduled__2",
                "scheduled__3");
        assertThat(grid.rows()).extracting(Grid.Row::taskId).containsExactly("a", "b", "c");
        assertThat(grid.rows().get(0).cells()).extracting(c -> c == null ? null : c.state())
                .containsExactly(TaskState.SUCCESS, null, null);
        assertThat(grid.rows().get(1).cells().get(1).state()).isEqualTo(TaskState.RUNNING);
        assertThat(grid.rows().get(2).cells().get(2).state()).isEqualTo(TaskState.FAILED);
        assertThat(grid.hasOlder()).isFalse();
    }

    @Test
    void theExtraRunOnlyTellsThatOlderRunsExist() {
        List<RunRecord> newestFirst = List.of(run(3, 3), run(2, 2), run(1, 1));
        Grid grid = Grid.build(dag(), newestFirst, 2, List.of(cell(1, "a", TaskState.SUCCESS),
                cell(2, "a", TaskState.FAILED)));
        assertThat(grid.runs()).extracting(RunRecord::runId).containsExactly("scheduled__2", "scheduled__3");
        assertThat(grid.hasOlder()).isTrue();
        assertThat(grid.rows().get(0).cells()).extracting(c -> c == null ? null : c.state())
                .containsExactly(TaskState.FAILED, null);
    }

    @Test
    void tasksThatLeftTheDagComeLastAndSaySo() {
        Grid grid = Grid.build(dag(), List.of(run(1, 1)), 25, List.of(cell(1, "gone", TaskState.REMOVED)));
        assertThat(grid.rows()).extracting(Grid.Row::taskId).containsExactly("a", "b", "c", "gone");
        assertThat(grid.rows()).extracting(Grid.Row::inDag).containsExactly(true, true, true, false);
    }

    @Test
    void aHundredRunsOfTwoHundredTasksFillEveryCell() {
        var b = Dag.builder("big");
        var previous = b.task("t0", OperatorRef.of("standard.empty", Map.of()));
        for (int i = 1; i < 200; i++) {
            var next = b.task("t" + i, OperatorRef.of("standard.empty", Map.of()));
            previous.then(next);
            previous = next;
        }
        CompiledDag dag = new CompiledDag(b.build(), "v1");
        List<RunRecord> runs = new ArrayList<>();
        List<GridCell> cells = new ArrayList<>();
        for (int r = 100; r >= 1; r--) {
            runs.add(run(r, r));
            for (int t = 0; t < 200; t++) {
                cells.add(cell(r, "t" + t, TaskState.SUCCESS));
            }
        }
        Grid grid = Grid.build(dag, runs, 100, cells);
        assertThat(grid.rows()).hasSize(200).allSatisfy(row -> assertThat(row.cells()).hasSize(100)
                .doesNotContainNull());
    }
}
