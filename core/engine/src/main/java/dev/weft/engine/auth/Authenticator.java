package dev.weft.engine.auth;

import dev.weft.engine.store.UserStore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks user names and passwords against the bcrypt hashes in the store. A verified password is remembered for a
 * short while (as a keyed hash, never in clear) so a busy client does not pay bcrypt on every request. After
 * {@link #FREE_FAILURES} failures in a row a user is locked out for a while that doubles with each further failure
 * (up to {@link #MAX_LOCK}); a correct password during the lock is refused too. Unknown names are throttled the same
 * way in memory, so the answers do not tell which names exist.
 */
public final class Authenticator {
    public static final int FREE_FAILURES = 5;
    public static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    public static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final Duration CACHE_FOR = Duration.ofSeconds(60);
    private static final int MAX_TRACKED_UNKNOWN = 10_000;
    // A valid bcrypt hash of a random password: unknown users cost as much time as known ones.
    private static final String DUMMY_HASH = PasswordHasher.hash(PasswordHasher.randomPassword(24));

    /** The outcome of a login attempt. */
    public sealed interface Result {
        record Ok(Caller caller) implements Result {
        }

        record Denied() implements Result {
        }

        record Locked(Duration retryAfter) implements Result {
        }
    }

    private record Verified(byte[] digest, Role role, Instant until) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    private final UserStore users;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Failures> unknown = new ConcurrentHashMap<>();

    public Authenticator(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    public Result authenticate(String username, String password) {
        Instant now = clock.instant();
        Verified hit = verified.get(username);
        if (hit != null && hit.until().isAfter(now) && MessageDigest.isEqual(hit.digest(), digest(username, password))) {
            return new Result.Ok(new Caller(username, hit.role()));
        }
        Optional<UserStore.User> found = users.find(username);
        if (found.isEmpty()) {
            return unknownUser(username, password, now);
        }
        UserStore.User user = found.get();
        if (user.lockedUntil() != null && user.lockedUntil().isAfter(now)) {
            return new Result.Locked(Duration.between(now, user.lockedUntil()));
        }
        Optional<Role> role = Role.of(user.role());
        if (!user.active() || role.isEmpty() || !PasswordHasher.matches(password, user.passwordHash())) {
            int failures = user.failedLogins() + 1;
            users.recordLogin(username, false, lockUntil(failures, now));
            return new Result.Denied();
        }
        if (user.failedLogins() > 0 || user.lockedUntil() != null) {
            users.recordLogin(username, true, null);
        }
        verified.put(username, new Verified(digest(username, password), role.get(), now.plus(CACHE_FOR)));
        return new Result.Ok(new Caller(username, role.get()));
    }

    private Result unknownUser(String username, String password, Instant now) {
        Failures previous = unknown.get(username);
        if (previous != null && previous.lockedUntil() != null && previous.lockedUntil().isAfter(now)) {
            return new Result.Locked(Duration.between(now, previous.lockedUntil()));
        }
        PasswordHasher.matches(password, DUMMY_HASH);
        if (unknown.size() > MAX_TRACKED_UNKNOWN) {
            unknown.clear();
        }
        int count = previous == null ? 1 : previous.count() + 1;
        unknown.put(username, new Failures(count, lockUntil(count, now)));
        return new Result.Denied();
    }

    /** When the lock after the given number of consecutive failures ends, or null for no lock. */
    static Instant lockUntil(int failures, Instant now) {
        if (failures < FREE_FAILURES) {
            return null;
        }
        int doublings = Math.min(failures - FREE_FAILURES, 10);
        Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
        return now.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
    }

    /** Forgets a user's remembered password, e.g. after it changed or the user was deleted. */
    public void forget(String username) {
        verified.remove(username);
    }

    private byte[] digest(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
