package dev.weft.spi;

import java.nio.file.Path;
import java.time.Clock;

/** What a plugin gets when the engine creates its operators and sensors. */
public interface PluginContext {
    /** The engine's clock; use it instead of the system clock so tests can control time. */
    Clock clock();

    /** A folder this plugin may write to (created on demand). */
    Path workDirectory();
}
