package dev.weft.web;

/** An error on a UI path, as a page a person can read (the API answers the same errors as problem+json). */
public final class ErrorPage extends Page {
    private final int status;
    private final String detail;
    private final String errorId;

    ErrorPage(PageUser user, int status, String title, String detail, String errorId) {
        super("error.mustache", title, user, "");
        this.status = status;
        this.detail = detail;
        this.errorId = errorId;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public String getErrorId() {
        return errorId;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
