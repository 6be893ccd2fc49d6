package dev.weft.engine.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Airflow's roles, each including the one before: Viewer reads; User also triggers, clears, marks and pauses; Op
 * also manages pools; Admin also manages users.
 */
public enum Role {
    VIEWER("Viewer"), USER("User"), OP("Op"), ADMIN("Admin");

    private final String displayName;

    Role(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The role with that name (any case), e.g. {@code Admin}. */
    public static Optional<Role> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.displayName.equalsIgnoreCase(name.trim())
                || r.name().equals(name.trim().toUpperCase(Locale.ROOT))).findFirst();
    }
}
