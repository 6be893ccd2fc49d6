package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;

/** What a scenario gets from the harness: fresh databases, and where to put profile sections. */
final class BenchContext {
    private final BenchPostgres postgres;
    private final boolean profile;
    private final List<String> profileLines = new ArrayList<>();

    BenchContext(BenchPostgres postgres, boolean profile) {
        this.postgres = postgres;
        this.profile = profile;
    }

    /** A new empty, migrated database; close it to drop it. Profiled with {@code --profile}. */
    BenchDatabase freshDatabase() {
        return postgres.create(profile);
    }

    /** Adds a rendered profile section (no-op when the phase was not profiled). */
    void addProfile(List<String> lines) {
        if (lines != null) {
            profileLines.addAll(lines);
        }
    }

    List<String> profileLines() {
        return profileLines;
    }

    static void progress(String message) {
        System.err.println("bench: " + message);
    }
}
