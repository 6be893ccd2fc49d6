package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;

/** What a scenario gets from the harness: fresh databases, and where to put profile sections. */
final class BenchContext {
    private final BenchPostgres postgres;
    private final boolean profile;
    private final List<String> profileLines = new ArrayList<>();
    private final Integer parallelism;
    private final Integer slots;
    private final java.time.Duration window;
    private final int sensors;
    /** Figures of scenarios already run in this sitting, by row label, for scenarios that compare with them. */
    private final java.util.Map<String, Double> figures = new java.util.HashMap<>();

    /**
     * {@code parallelism} and {@code slots} override the scenarios' own choices when not null; {@code window} is how
     * long the sensor scenario measures, {@code sensors} how many reschedule-mode sensors it waits on.
     */
    BenchContext(BenchPostgres postgres, boolean profile, Integer parallelism, Integer slots,
                 java.time.Duration window, int sensors) {
        this.window = window;
        this.sensors = sensors;
        this.postgres = postgres;
        this.profile = profile;
        this.parallelism = parallelism;
        this.slots = slots;
    }

    /** The engine's parallelism: {@code --parallelism} if given, else the scenario's choice. */
    int parallelism(int scenarioDefault) {
        return parallelism != null ? parallelism : scenarioDefault;
    }

    /** The worker's slots: {@code --slots} if given, else the parallelism chosen. */
    int slots(int scenarioDefault) {
        return slots != null ? slots : parallelism != null ? parallelism : scenarioDefault;
    }

    /** How long a footprint is measured ({@code --window}). */
    java.time.Duration window() {
        return window;
    }

    /** How many reschedule-mode sensors the sensors scenario waits on ({@code --sensors}). */
    int sensors() {
        return sensors;
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

    void record(String label, double figure) {
        figures.put(label, figure);
    }

    /** A figure {@link #record}ed by a scenario run earlier in this sitting, or null. */
    Double recorded(String label) {
        return figures.get(label);
    }

    static void progress(String message) {
        System.err.println("bench: " + message);
    }
}
