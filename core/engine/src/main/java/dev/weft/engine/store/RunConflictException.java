package dev.weft.engine.store;

/** A run with the same run id, or the same logical date, already exists for the DAG. */
public class RunConflictException extends RuntimeException {
    public enum Kind { RUN_ID, LOGICAL_DATE }

    private final Kind kind;

    public RunConflictException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
