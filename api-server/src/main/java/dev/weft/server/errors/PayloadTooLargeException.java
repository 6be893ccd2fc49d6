package dev.weft.server.errors;

import jakarta.ws.rs.WebApplicationException;

/** A request body longer than the configured limit. */
public class PayloadTooLargeException extends WebApplicationException {
    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes", 413);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
