package dev.weft.testkit;

import dev.weft.spi.PluginContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A {@link PluginContext} for tests: a clock and a work directory. */
public record TestPluginContext(Clock clock, Path workDirectory) implements PluginContext {

    /** A context whose work directory is a new temporary directory (removed at exit if it is empty by then). */
    public static TestPluginContext temporary(Clock clock) {
        try {
            Path dir = Files.createTempDirectory("weft-plugin-work-");
            dir.toFile().deleteOnExit();
            return new TestPluginContext(clock, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
