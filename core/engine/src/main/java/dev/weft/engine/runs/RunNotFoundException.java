package dev.weft.engine.runs;

/** No run with that id exists for the DAG. */
public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String dagId, String runId) {
        super("DAGRun with DAG ID: '" + dagId + "' and DAGRun ID: '" + runId + "' not found");
    }
}
