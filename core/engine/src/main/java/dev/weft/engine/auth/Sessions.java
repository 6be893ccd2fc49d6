package dev.weft.engine.auth;

import dev.weft.engine.store.SessionStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Login sessions of the web UI. A session is a random 256-bit token in an {@code HttpOnly} cookie; the store keeps only
 * its SHA-256, so a leaked table opens nothing. Each session has its own CSRF token, which every state-changing
 * request made with the cookie must echo. Sessions live in the database, so several servers behind one address
 * share them and a logout ends the session everywhere.
 */
public final class Sessions {
    /** The cookie that carries the session's token. */
    public static final String COOKIE = "weft_session";
    /** Where a state-changing request made with the cookie carries the CSRF token: a header, or a form field. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    /** The request property under which the authentication filter leaves the session's CSRF token for pages. */
    public static final String CSRF_PROPERTY = "weft.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new session: the cookie's token and the CSRF token the pages embed. */
    public record Opened(String token, String csrfToken, Duration lifetime) {
    }

    /** The caller of a request made with a session cookie, and the CSRF token that request must carry. */
    public record Active(Caller caller, String csrfToken) {
        /** Whether a submitted token is this session's, compared in constant time. */
        public boolean csrfMatches(String submitted) {
            return submitted != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    submitted.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final SessionStore store;
    private final Clock clock;
    private final Duration lifetime;

    public Sessions(SessionStore store, Clock clock, Duration lifetime) {
        this.store = store;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Opened open(Caller caller) {
        Instant now = clock.instant();
        store.deleteExpired(now);
        String token = randomToken();
        String csrf = randomToken();
        store.create(hash(token), caller.username(), csrf, now, now.plus(lifetime));
        return new Opened(token, csrf, lifetime);
    }

    public Optional<Active> resolve(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return store.find(hash(token), clock.instant()).flatMap(s -> Role.of(s.role())
                .map(role -> new Active(new Caller(s.username(), role), s.csrfToken())));
    }

    public void close(String token) {
        if (token != null && !token.isBlank()) {
            store.delete(hash(token));
        }
    }

    /** Ends every session of a user, e.g. when the password changed: whoever knew the old one is logged out. */
    public void closeAllOf(String username) {
        store.deleteOf(username);
    }

    /** 256 random bits, URL-safe. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
