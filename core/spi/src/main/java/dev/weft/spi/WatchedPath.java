package dev.weft.spi;

/**
 * A file, or a glob pattern of files, that a sensor waits for on the local file system: what
 * {@link SensorFactory#watchedPaths} returns. The engine watches it for file-system events and pokes the sensor as soon
 * as something that may match appears or changes; the sensor's poke still decides.
 *
 * @param pattern   an absolute path, or an absolute glob pattern: {@code *}, {@code ?} and {@code [...]} within a
 *                  path segment, and a {@code **} segment for any number of directories when {@code recursive}
 * @param recursive whether a {@code **} segment spans directories (otherwise it is a plain {@code *})
 */
public record WatchedPath(String pattern, boolean recursive) {
    public WatchedPath {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("a watched path must be absolute, got " + pattern);
        }
    }
}
