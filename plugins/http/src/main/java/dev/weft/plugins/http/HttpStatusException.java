package dev.weft.plugins.http;

/** The operator got a status it was not told to expect, or a body that fails its check; the try fails. */
public final class HttpStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status received. */
    public int status() {
        return status;
    }
}
