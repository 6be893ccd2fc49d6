package dev.weft.spi.dag;

import java.util.Locale;

/**
 * How a sensor waits between pokes. {@link #POKE} keeps the task running and holds its worker and pool slot;
 * {@link #RESCHEDULE} releases both and puts the task in {@code up_for_reschedule} until the next poke.
 */
public enum SensorMode {
    POKE, RESCHEDULE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SensorMode fromWire(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "poke" -> POKE;
            case "reschedule" -> RESCHEDULE;
            default -> throw new IllegalArgumentException("unknown sensor mode '" + name + "'; use poke or reschedule");
        };
    }
}
