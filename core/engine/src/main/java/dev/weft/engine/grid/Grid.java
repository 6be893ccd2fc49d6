package dev.weft.engine.grid;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.store.QueryStore.GridCell;
import dev.weft.engine.store.RunRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG's grid (Airflow's grid view): runs as columns, oldest first; tasks as rows, in the DAG's order (upstream
 * before downstream), then tasks no longer in the DAG that have task instances in these runs; one cell per task and
 * run, null where the run has no task instance of the task.
 *
 * @param hasOlder whether runs older than the first column exist (the grid's "older" page)
 */
public record Grid(CompiledDag dag, List<RunRecord> runs, List<Row> rows, boolean hasOlder) {
    /** A task's cells, one per run in the order of {@link #runs}; {@code inDag} is false for a removed task. */
    public record Row(String taskId, boolean inDag, List<GridCell> cells) {
    }

    /**
     * Builds the grid from the newest runs (newest first, as queried: at most {@code limit + 1}, the extra one only
     * telling that older runs exist) and the task instances of those runs.
     */
    public static Grid build(CompiledDag dag, List<RunRecord> newestFirst, int limit, List<GridCell> cells) {
        int count = Math.min(limit, newestFirst.size());
        List<RunRecord> runs = new ArrayList<>(count);
        Map<Long, Integer> column = new HashMap<>();
        for (int i = count - 1; i >= 0; i--) {
            column.put(newestFirst.get(i).id(), runs.size());
            runs.add(newestFirst.get(i));
        }
        Map<String, GridCell[]> byTask = new LinkedHashMap<>();
        for (String taskId : dag.topologicalOrder()) {
            byTask.put(taskId, new GridCell[count]);
        }
        for (GridCell cell : cells) {
            Integer i = column.get(cell.runPk());
            if (i != null) {
                byTask.computeIfAbsent(cell.taskId(), t -> new GridCell[count])[i] = cell;
            }
        }
        List<Row> rows = new ArrayList<>(byTask.size());
        byTask.forEach((taskId, row) -> rows.add(new Row(taskId, dag.task(taskId) != null,
                Collections.unmodifiableList(Arrays.asList(row)))));
        return new Grid(dag, List.copyOf(runs), List.copyOf(rows), newestFirst.size() > limit);
    }
}
