package dev.weft.spi;

import java.time.Instant;
import java.util.Map;

/** A {@link TaskContext} for sensors, with what the engine keeps between pokes. */
public interface SensorContext extends TaskContext {
    /**
     * A small map persisted after every poke and kept across reschedules (cleared with the task). Keep it small:
     * it is written to the database each poke.
     */
    Map<String, String> memo();

    /** When the first poke of this wait happened; the sensor timeout counts from it. */
    Instant firstPokeAt();

    /** 1 for the first poke of this wait, then 2, 3… */
    int pokeNumber();
}
