package dev.weft.plugins.standard;

import dev.weft.spi.Connection;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskContext;
import dev.weft.spi.WatchedPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code standard.file_sensor}: waits for a file, Airflow's FileSensor. {@code filepath} may hold glob wildcards
 * ({@code *}, {@code ?}, {@code [...]}, and {@code **} across directories when {@code recursive}). Ready when a match
 * is a regular file (an empty one counts) or a directory with a file somewhere beneath it; the output is the list of
 * matched paths (at most {@value #MAX_OUTPUT_PATHS}).
 */
public final class FileSensorFactory implements SensorFactory<FileSensorFactory.Params> {
    public static final String TYPE = "standard.file_sensor";
    static final int MAX_OUTPUT_PATHS = 100;

    /**
     * @param filepath  the path or glob pattern to wait for (required, templated); relative paths are taken from
     *                  the base path
     * @param recursive let {@code **} match any number of directories (default false)
     * @param basePath  the directory relative {@code filepath}s start from (default {@code /}, as Airflow's
     *                  {@code fs_default} connection)
     * @param fsConnId  Airflow's {@code fs_conn_id}: a connection whose {@code extra.path} is the base path
     */
    public record Params(String filepath, boolean recursive, String basePath, String fsConnId) {
        /** Airflow's default connection id: without such a connection, the base path is {@code /}. */
        static final String FS_DEFAULT = "fs_default";

        public Params {
            if (filepath == null || filepath.isBlank()) {
                throw new InvalidParamsException("filepath", "is required: the file or glob pattern to wait for");
            }
            if (basePath != null && basePath.isBlank()) {
                basePath = null;
            }
            if (basePath != null && fsConnId != null) {
                throw new InvalidParamsException("fs_conn_id", "cannot be given with base_path: the connection's"
                        + " extra.path is the base path; give one of them");
            }
        }

        /** Without a connection. */
        public Params(String filepath, boolean recursive, String basePath) {
            this(filepath, recursive, basePath, null);
        }

        /**
         * The absolute pattern checked: {@code filepath} joined to the base path as Python's os.path.join does. The
         * base path is {@code base_path}, else the {@code extra.path} of the {@code fs_conn_id} connection (read
         * through {@code ctx}), else {@code /}.
         */
        public String pattern(TaskContext ctx) {
            if (filepath.startsWith("/")) {
                return filepath;
            }
            String base = Path.of(basePath(ctx)).toAbsolutePath().toString();
            return base.endsWith("/") ? base + filepath : base + "/" + filepath;
        }

        private String basePath(TaskContext ctx) {
            if (basePath != null) {
                return basePath;
            }
            if (fsConnId == null) {
                return "/";
            }
            Optional<Connection> connection = ctx.connection(fsConnId);
            if (connection.isEmpty()) {
                if (FS_DEFAULT.equals(fsConnId)) {
                    return "/";
                }
                throw new InvalidParamsException("fs_conn_id", "connection '" + fsConnId + "' does not exist:"
                        + " create it, e.g. weft connections add " + fsConnId + " --conn-type fs --conn-extra"
                        + " '{\"path\": \"/data\"}'");
            }
            Object path = connection.get().extra().get("path");
            return path instanceof String p && !p.isBlank() ? p : "/";
        }
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Waits for a file or a glob match (Airflow's FileSensor)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return paramName.equals("filepath");
    }

    /** The engine pokes at once when a file matching the pattern appears (see {@link SensorFactory#watchedPaths}). */
    @Override
    public List<WatchedPath> watchedPaths(Params params, TaskContext ctx) {
        return List.of(new WatchedPath(params.pattern(ctx), params.recursive()));
    }

    @Override
    public Sensor<Params> create(PluginContext context) {
        return (params, ctx) -> {
            String pattern = params.pattern(ctx);
            ctx.log().info("Poking for file {}{}", pattern, params.recursive() ? " (recursive)" : "");
            List<Path> matches = matches(pattern, params.recursive());
            Optional<Path> found = matches.stream().filter(FileSensorFactory::holdsAFile).findFirst();
            if (found.isEmpty()) {
                String why = matches.isEmpty() ? "no match"
                        : matches.size() + " match(es), but none is a file or a directory with a file in it";
                ctx.log().info("{}: {}", pattern, why);
                if (!params.recursive() && pattern.contains("**")) {
                    ctx.log().info("'**' matches one directory level only unless recursive is true");
                }
                return PokeResult.notYet(pattern + ": " + why);
            }
            ctx.log().info("Found {} match(es) for {}; {} is a {}", matches.size(), pattern, found.get(),
                    Files.isDirectory(found.get()) ? "directory with a file in it" : "file");
            return PokeResult.ready(matches.stream().limit(MAX_OUTPUT_PATHS).map(Path::toString).toList());
        };
    }

    /**
     * What a pattern matches, as far as the sensor needs to know. A path without wildcards is checked with one
     * {@code stat} that follows links. The glob checks its last segment without following them (Python's
     * {@code lexists}), and Java answers that for a missing file with two exceptions and their stack traces: about a
     * third of the CPU of a poke that finds nothing. The sensor waits the same either way: the one path the two
     * checks disagree on, a link to nothing, holds no file (it is "no match" here, not a match without a file).
     */
    static List<Path> matches(String pattern, boolean recursive) {
        if (Glob.hasMagic(pattern) || !pattern.startsWith("/")) {
            return Glob.expand(pattern, recursive);
        }
        Path path = Path.of(pattern);
        boolean found = pattern.endsWith("/") ? Files.isDirectory(path) : Files.exists(path);
        return found ? List.of(path) : List.of();
    }

    /** A regular file, or a directory with a regular file anywhere beneath it. */
    static boolean holdsAFile(Path path) {
        if (Files.isRegularFile(path)) {
            return true;
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.anyMatch(p -> !Files.isDirectory(p));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
