package dev.weft.engine.runs;

/** No active DAG with that id is registered. */
public class DagNotFoundException extends RuntimeException {
    public DagNotFoundException(String dagId) {
        super("DAG '" + dagId + "' not found");
    }
}
