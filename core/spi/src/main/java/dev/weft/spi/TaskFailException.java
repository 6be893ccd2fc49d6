package dev.weft.spi;

/** Thrown by an operator or sensor to fail the task at once, without using its remaining retries. */
public class TaskFailException extends RuntimeException {
    public TaskFailException(String message) {
        super(message);
    }

    public TaskFailException(String message, Throwable cause) {
        super(message, cause);
    }
}
