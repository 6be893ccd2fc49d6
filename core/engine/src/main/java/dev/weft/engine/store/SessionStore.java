package dev.weft.engine.store;

import java.time.Instant;
import java.util.Optional;

/** Web UI login sessions, kept by the hash of their token so a read of the table opens no session. */
public interface SessionStore {
    /** A live session: its user's current role (a role change applies at once) and the session's CSRF token. */
    record Session(String username, String role, String csrfToken, Instant expiresAt) {
    }

    void create(String tokenHash, String username, String csrfToken, Instant createdAt, Instant expiresAt);

    /** The session, while it has not expired and its user exists and is active. */
    Optional<Session> find(String tokenHash, Instant now);

    void delete(String tokenHash);

    /** Removes every session that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);

    /** Ends every session of a user (deleted, deactivated or given a new password). */
    void deleteOf(String username);
}
