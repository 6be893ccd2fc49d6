package dev.weft.spi;

/** Identifies one try of one task instance. */
public record TaskKey(String dagId, String runId, String taskId, int tryNumber) {
    @Override
    public String toString() {
        return dagId + "/" + runId + "/" + taskId + "#" + tryNumber;
    }
}
