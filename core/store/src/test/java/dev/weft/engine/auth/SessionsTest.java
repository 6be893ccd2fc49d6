package dev.weft.engine.auth;

import dev.weft.engine.store.UserStore;
import dev.weft.store.TestDatabase;
import dev.weft.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** UI sessions on real PostgreSQL: only the token's hash is stored, the role is read live, and sessions end. */
class SessionsTest {
    private static TestDatabase db;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private Sessions sessions() {
        return new Sessions(db.database().sessions(), clock, Duration.ofHours(12));
    }

    private static void user(String name, String role, boolean active) {
        UserStore users = db.database().users();
        users.create(new UserStore.User(name, PasswordHasher.hash("pw-" + name), role, null, null, null, active,
                null, null, 0, null));
    }

    @Test
    void aSessionResolvesToItsUserWithTheirCurrentRoleAndItsOwnCsrfToken() {
        user("ana", "User", true);
        Sessions sessions = sessions();
        Sessions.Opened opened = sessions.open(new Caller("ana", Role.USER));

        Sessions.Active active = sessions.resolve(opened.token()).orElseThrow();
        assertThat(active.caller()).isEqualTo(new Caller("ana", Role.USER));
        assertThat(active.csrfMatches(opened.csrfToken())).isTrue();
        assertThat(active.csrfMatches(sessions.open(new Caller("ana", Role.USER)).csrfToken())).isFalse();
        assertThat(active.csrfMatches(null)).isFalse();
        String stored = db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(token_hash, ',') FROM ui_session WHERE username = 'ana'").mapTo(String.class).one());
        assertThat(stored).doesNotContain(opened.token()).contains(Sessions.hash(opened.token()));

        var ana = db.database().users().find("ana").orElseThrow();
        db.database().users().update(new UserStore.User("ana", ana.passwordHash(), "Viewer", null, null, null, true,
                null, null, 0, null));
        assertThat(sessions.resolve(opened.token()).orElseThrow().caller().role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void sessionsEndAtExpiryLogoutDeactivationAndPasswordChange() {
        user("bo", "Op", true);
        Sessions sessions = sessions();
        String expiring = sessions.open(new Caller("bo", Role.OP)).token();
        clock.advance(Duration.ofHours(12));
        assertThat(sessions.resolve(expiring)).isEmpty();

        String loggedOut = sessions.open(new Caller("bo", Role.OP)).token();
        sessions.close(loggedOut);
        assertThat(sessions.resolve(loggedOut)).isEmpty();

        String first = sessions.open(new Caller("bo", Role.OP)).token();
        String second = sessions.open(new Caller("bo", Role.OP)).token();
        sessions.closeAllOf("bo");
        assertThat(sessions.resolve(first)).isEmpty();
        assertThat(sessions.resolve(second)).isEmpty();

        user("cy", "Admin", false);
        assertThat(sessions.resolve(sessions.open(new Caller("cy", Role.ADMIN)).token())).isEmpty();
        assertThat(sessions.resolve("not-a-token")).isEmpty();
        assertThat(sessions.resolve(null)).isEmpty();
    }
}
