package dev.weft.examples;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the example DAGs look for the supermarkets' files: {@code WEFT_DATA_DIR} when it is set, otherwise
 * {@code <WEFT_HOME>/data}, where {@code WEFT_HOME} defaults to {@code ~/.weft} as for {@code weft standalone}.
 * The user's notes use {@code /data}; a folder under Weft's home needs no root rights to create.
 */
public final class DataRoot {
    public static final String DATA_DIR_VARIABLE = "WEFT_DATA_DIR";
    public static final String HOME_VARIABLE = "WEFT_HOME";

    private DataRoot() {
    }

    /** The data root for this process's environment. */
    public static Path fromEnvironment() {
        return resolve(System.getenv(), System.getProperty("user.home"));
    }

    /** The data root for the given environment variables and user home directory. */
    public static Path resolve(Map<String, String> environment, String userHome) {
        String dataDir = environment.get(DATA_DIR_VARIABLE);
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir.strip()).toAbsolutePath().normalize();
        }
        String home = environment.get(HOME_VARIABLE);
        Path weftHome = home != null && !home.isBlank() ? Path.of(home.strip()) : Path.of(userHome, ".weft");
        return weftHome.resolve("data").toAbsolutePath().normalize();
    }
}
