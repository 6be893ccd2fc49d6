package dev.weft.engine.grid;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;

import java.time.Instant;
import java.util.List;

/** Loads a DAG's grid for the REST API and the web UI: two queries, whatever the number of runs and tasks. */
public final class GridService {
    /** Runs a grid shows when no number is asked for (Airflow's default_dag_run_display_number). */
    public static final int DEFAULT_RUNS = 25;
    public static final int MAX_RUNS = 1_000;

    private final QueryStore queries;
    private final DagCatalog catalog;

    public GridService(QueryStore queries, DagCatalog catalog) {
        this.queries = queries;
        this.catalog = catalog;
    }

    /**
     * The newest {@code numRuns} runs (1 to {@value #MAX_RUNS}) with a logical date before {@code before} (null: the
     * newest of all), and their task instances.
     *
     * @throws DagNotFoundException     for a DAG the catalog does not know
     * @throws IllegalArgumentException for a number of runs out of range
     */
    public Grid load(String dagId, int numRuns, Instant before) {
        if (numRuns < 1 || numRuns > MAX_RUNS) {
            throw new IllegalArgumentException("num_runs must be between 1 and " + MAX_RUNS + ", got " + numRuns);
        }
        CompiledDag dag = catalog.get(dagId).orElseThrow(() -> new DagNotFoundException(dagId));
        List<RunRecord> newest = queries.latestRuns(dagId, numRuns + 1, before);
        List<Long> ids = newest.stream().limit(numRuns).map(RunRecord::id).toList();
        return Grid.build(dag, newest, numRuns, queries.gridCells(ids));
    }
}
