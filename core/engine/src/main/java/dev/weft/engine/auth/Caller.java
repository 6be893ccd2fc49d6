package dev.weft.engine.auth;

import java.security.Principal;

/** The authenticated user of a request. */
public record Caller(String username, Role role) implements Principal {
    @Override
    public String getName() {
        return username;
    }
}
