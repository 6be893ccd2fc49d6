package dev.weft.engine.store;

/** A run with the same run id, or the same logical date, already exists for the DAG. */
public class RunConflictException extends RuntimeException {
    public enum Kind { RUN_ID, LOGICAL_DATE }

    private final Kind kind;
    private final String existingRunId;

    public RunConflictException(Kind kind, String message, String existingRunId) {
        super(message);
        this.kind = kind;
        this.existingRunId = existingRunId;
    }

    public Kind kind() {
        return kind;
    }

    /** The run that holds the run id or the logical date. */
    public String existingRunId() {
        return existingRunId;
    }
}
