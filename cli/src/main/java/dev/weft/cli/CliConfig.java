package dev.weft.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where the CLI finds its server and credentials: a flag wins over the environment ({@code WEFT_URL},
 * {@code WEFT_USER}, {@code WEFT_PASSWORD}), the environment over the config file ({@code weft login} writes it),
 * the file over the default URL. The file is {@code $WEFT_CONFIG}, else {@code $XDG_CONFIG_HOME/weft/cli.json},
 * else {@code ~/.config/weft/cli.json}; it is created with mode 0600 (its directory 0700).
 */
record CliConfig(String url, String user, String password) {
    static final String DEFAULT_URL = "http://localhost:8080";
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    /** The config file's location for this environment. */
    static Path file(Function<String, String> env) {
        String explicit = env.apply("WEFT_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.apply("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("weft").resolve("cli.json");
    }

    /** The file's settings; all null when there is no file. */
    static CliConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new CliConfig(null, null, null);
        }
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read the config file " + file + ": " + e.getMessage());
        } catch (Json.ParseException e) {
            throw new CliException(CliException.USAGE, "the config file " + file + " is not valid JSON: "
                    + e.getMessage() + " (fix it, delete it, or run weft login again)");
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new CliException(CliException.USAGE, "the config file " + file
                    + " must hold a JSON object like {\"url\": ..., \"user\": ..., \"password\": ...}");
        }
        return new CliConfig(text(m, "url", file), text(m, "user", file), text(m, "password", file));
    }

    private static String text(Map<?, ?> m, String key, Path file) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new CliException(CliException.USAGE, "the config file " + file + ": \"" + key
                    + "\" must be a string");
        }
        return (String) v;
    }

    /**
     * The effective settings. {@code flagUrl} is --url (null when absent); the file is only read when the flag and
     * the environment leave something open.
     */
    static CliConfig resolve(String flagUrl, Function<String, String> env) {
        String url = firstSet(flagUrl, env.apply("WEFT_URL"));
        String user = firstSet(env.apply("WEFT_USER"));
        String password = env.apply("WEFT_PASSWORD");
        if (url == null || user == null || password == null) {
            CliConfig file = read(file(env));
            url = firstSet(url, file.url());
            if (user == null) {
                user = firstSet(file.user());
                // The file's password belongs to the file's user: never send it for a user from the environment.
                if (password == null) {
                    password = file.password();
                }
            } else if (password == null && user.equals(file.user())) {
                password = file.password();
            }
        }
        return new CliConfig(url == null ? DEFAULT_URL : url, user, password);
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /**
     * Writes the settings to {@code file}: a new file created 0600 beside it, then moved over the old one, so the
     * credentials are never readable by others, not even for a moment.
     */
    void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_RW)}
                    : new FileAttribute<?>[0];
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attrs);
                 Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
                if (posix) {
                    // The umask can only remove bits; make sure of the exact mode before any secret is written.
                    Files.setPosixFilePermissions(tmp, OWNER_RW);
                }
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("url", url);
                m.put("user", user);
                m.put("password", password);
                w.write(Json.pretty(m));
                w.write('\n');
            } catch (FileAlreadyExistsException e) {
                throw new CliException(CliException.USAGE, "a temporary file " + tmp + " is in the way: remove it");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot write the config file " + file + ": " + e);
        }
    }
}
