package dev.weft.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users of the API and UI, with hashed passwords and a role. */
public interface UserStore {
    record User(String username, String passwordHash, String role, String email, String firstName, String lastName,
                boolean active, Instant createdAt, Instant changedAt, int failedLogins, Instant lockedUntil) {
    }

    Optional<User> find(String username);

    List<User> list();

    /** Creates a user; false when the name is taken. */
    boolean create(User user);

    void recordLogin(String username, boolean success, Instant lockedUntil);

    /** Replaces a user's name fields, email, role, password hash and active flag; false when there is none. */
    boolean update(User user);

    boolean delete(String username);
}
