package dev.weft.spi;

/** Thrown by an operator or sensor to end the task as skipped. */
public class TaskSkipException extends RuntimeException {
    public TaskSkipException(String message) {
        super(message);
    }
}
