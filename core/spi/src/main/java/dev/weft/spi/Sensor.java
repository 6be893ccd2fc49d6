package dev.weft.spi;

/**
 * Checks a condition once and answers. A sensor never sleeps or loops: the engine owns waiting, intervals,
 * timeouts, modes and soft-fail, the same for every sensor. State needed across pokes goes in
 * {@link SensorContext#memo()}.
 */
@FunctionalInterface
public interface Sensor<P> {
    PokeResult poke(P params, SensorContext context) throws Exception;
}
