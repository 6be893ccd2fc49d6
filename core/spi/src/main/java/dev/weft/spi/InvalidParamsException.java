package dev.weft.spi;

/** Params that cannot be used; {@link #field()} names the culprit (e.g. {@code op_kwargs.supermarket_id}). */
public class InvalidParamsException extends RuntimeException {
    private final String field;

    public InvalidParamsException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
