package dev.weft.engine.auth;

import dev.weft.engine.store.UserStore;
import dev.weft.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {
    private static final String HASH = PasswordHasher.hash("right");

    /** A user table in memory, counting reads. */
    static final class Users implements UserStore {
        final Map<String, User> rows = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();

        @Override
        public Optional<User> find(String username) {
            finds.incrementAndGet();
            return Optional.ofNullable(rows.get(username));
        }

        @Override
        public List<User> list() {
            return List.copyOf(rows.values());
        }

        @Override
        public boolean create(User user) {
            return rows.putIfAbsent(user.username(), user) == null;
        }

        @Override
        public void recordLogin(String username, boolean success, Instant lockedUntil) {
            rows.computeIfPresent(username, (k, u) -> new User(u.username(), u.passwordHash(), u.role(), u.email(),
                    u.firstName(), u.lastName(), u.active(), u.createdAt(), u.changedAt(),
                    success ? 0 : u.failedLogins() + 1, lockedUntil));
        }

        @Override
        public boolean update(User user) {
            return rows.replace(user.username(), user) != null;
        }

        @Override
        public boolean delete(String username) {
            return rows.remove(username) != null;
        }
    }

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final Users users = new Users();
    private final Authenticator auth = new Authenticator(users, clock);

    private void addUser(String name, String role) {
        users.create(new UserStore.User(name, HASH, role, null, null, null, true, null, null, 0, null));
    }

    @Test
    void theRightPasswordGivesTheUsersRoleAndIsRememberedBriefly() {
        addUser("ann", "Op");
        assertThat(auth.authenticate("ann", "right"))
                .isEqualTo(new Authenticator.Result.Ok(new Caller("ann", Role.OP)));
        int reads = users.finds.get();
        assertThat(auth.authenticate("ann", "right")).isInstanceOf(Authenticator.Result.Ok.class);
        assertThat(users.finds.get()).isEqualTo(reads);
        clock.advance(Duration.ofMinutes(2));
        assertThat(auth.authenticate("ann", "right")).isInstanceOf(Authenticator.Result.Ok.class);
        assertThat(users.finds.get()).isEqualTo(reads + 1);
        assertThat(auth.authenticate("ann", "wrong")).isInstanceOf(Authenticator.Result.Denied.class);
    }

    @Test
    void fiveFailuresLockTheUserAndTheLockDoublesUpToAMaximum() {
        addUser("bob", "User");
        for (int i = 0; i < 4; i++) {
            assertThat(auth.authenticate("bob", "wrong")).isInstanceOf(Authenticator.Result.Denied.class);
        }
        assertThat(users.rows.get("bob").lockedUntil()).isNull();
        assertThat(auth.authenticate("bob", "wrong")).isInstanceOf(Authenticator.Result.Denied.class);
        assertThat(auth.authenticate("bob", "right"))
                .isEqualTo(new Authenticator.Result.Locked(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(31));
        assertThat(auth.authenticate("bob", "wrong")).isInstanceOf(Authenticator.Result.Denied.class);
        assertThat(auth.authenticate("bob", "right"))
                .isEqualTo(new Authenticator.Result.Locked(Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(61));
        assertThat(auth.authenticate("bob", "right")).isInstanceOf(Authenticator.Result.Ok.class);
        assertThat(users.rows.get("bob").failedLogins()).isZero();
        assertThat(Authenticator.lockUntil(40, clock.instant())).isEqualTo(clock.instant().plus(Authenticator.MAX_LOCK));
    }

    @Test
    void unknownNamesAndInactiveUsersAreDeniedAndThrottledAlike() {
        users.create(new UserStore.User("gone", HASH, "Admin", null, null, null, false, null, null, 0, null));
        assertThat(auth.authenticate("gone", "right")).isInstanceOf(Authenticator.Result.Denied.class);
        for (int i = 0; i < 5; i++) {
            assertThat(auth.authenticate("ghost", "x")).isInstanceOf(Authenticator.Result.Denied.class);
        }
        assertThat(auth.authenticate("ghost", "x")).isInstanceOf(Authenticator.Result.Locked.class);
    }

    @Test
    void aForgottenUserIsCheckedAgainstTheStoreAgain() {
        addUser("cy", "Viewer");
        auth.authenticate("cy", "right");
        users.delete("cy");
        assertThat(auth.authenticate("cy", "right")).isInstanceOf(Authenticator.Result.Ok.class);
        auth.forget("cy");
        assertThat(auth.authenticate("cy", "right")).isInstanceOf(Authenticator.Result.Denied.class);
    }
}
