package dev.weft.web;

import io.dropwizard.views.common.View;

import java.nio.charset.StandardCharsets;

/** The outcome of a connection test: a small page the connection forms show in a frame below their Test button. */
public final class ConnectionTestPage extends View {
    private final boolean ok;
    private final String message;

    ConnectionTestPage(boolean ok, String message) {
        super("connection-test.mustache", StandardCharsets.UTF_8);
        this.ok = ok;
        this.message = message;
    }

    public boolean isOk() {
        return ok;
    }

    public String getMessage() {
        return message;
    }
}
