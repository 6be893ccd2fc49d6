package dev.weft.spi;

import java.util.List;

/** Declares a sensor type and creates its instances. */
public non-sealed interface SensorFactory<P> extends TaskTypeFactory<P> {
    Sensor<P> create(PluginContext context);

    /**
     * What a sensor with these (rendered) params waits for on the local file system, if anything. When this is not
     * empty, the engine watches those paths while the sensor waits and pokes it as soon as a matching file is created
     * or changed, instead of only at the next {@code poke_interval}: a hint that makes the next poke earlier, never a
     * replacement for the poke. Events are seen only by the process whose worker poked the sensor, and only for its
     * own file system; everywhere else the poke interval stays the bound. Default: nothing to watch.
     */
    default List<WatchedPath> watchedPaths(P params) {
        return List.of();
    }

    /**
     * {@link #watchedPaths(Object)} for a type whose paths depend on the try, e.g. on a connection it reads through
     * {@code context}. The engine calls this one; by default it is {@code watchedPaths(params)}.
     */
    default List<WatchedPath> watchedPaths(P params, TaskContext context) {
        return watchedPaths(params);
    }
}
