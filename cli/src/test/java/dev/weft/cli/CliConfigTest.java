package dev.weft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliConfigTest {
    @TempDir
    Path dir;

    private Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_CONFIG", dir.resolve("cli.json").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    @Test
    void flagThenEnvironmentThenFileThenDefault() {
        Map<String, String> none = env();
        assertThat(CliConfig.resolve(null, none::get)).isEqualTo(new CliConfig(CliConfig.DEFAULT_URL, null, null));

        new CliConfig("http://file:1", "fileuser", "filepw").write(dir.resolve("cli.json"));
        assertThat(CliConfig.resolve(null, none::get)).isEqualTo(new CliConfig("http://file:1", "fileuser", "filepw"));

        Map<String, String> withEnv = env("WEFT_URL", "http://env:2", "WEFT_USER", "envuser", "WEFT_PASSWORD", "envpw");
        assertThat(CliConfig.resolve(null, withEnv::get)).isEqualTo(new CliConfig("http://env:2", "envuser", "envpw"));
        assertThat(CliConfig.resolve("http://flag:3", withEnv::get))
                .isEqualTo(new CliConfig("http://flag:3", "envuser", "envpw"));
    }

    @Test
    void theFilesPasswordIsOnlySentForTheFilesUser() {
        new CliConfig("http://file:1", "fileuser", "filepw").write(dir.resolve("cli.json"));
        Map<String, String> other = env("WEFT_USER", "someone");
        assertThat(CliConfig.resolve(null, other::get)).isEqualTo(new CliConfig("http://file:1", "someone", null));
        Map<String, String> same = env("WEFT_USER", "fileuser");
        assertThat(CliConfig.resolve(null, same::get).password()).isEqualTo("filepw");
        Map<String, String> onlyPassword = env("WEFT_PASSWORD", "envpw");
        assertThat(CliConfig.resolve(null, onlyPassword::get))
                .isEqualTo(new CliConfig("http://file:1", "fileuser", "envpw"));
    }

    @Test
    void theFileIsCreatedReadableByItsOwnerOnlyAndReplacedSo() throws Exception {
        Path file = dir.resolve("sub").resolve("cli.json");
        new CliConfig("http://a", "u", "p1").write(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        new CliConfig("http://a", "u", "p2").write(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(CliConfig.read(file).password()).isEqualTo("p2");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void locationFollowsWeftConfigThenXdg() {
        assertThat(CliConfig.file(Map.of("WEFT_CONFIG", "/x/y.json")::get)).isEqualTo(Path.of("/x/y.json"));
        assertThat(CliConfig.file(Map.of("XDG_CONFIG_HOME", "/xdg")::get)).isEqualTo(Path.of("/xdg/weft/cli.json"));
        assertThat(CliConfig.file(Map.<String, String>of()::get))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "weft", "cli.json"));
    }

    @Test
    void aBrokenFileIsAUsageErrorNamingIt() throws Exception {
        Path file = dir.resolve("cli.json");
        Files.writeString(file, "{\"url\": 1}");
        assertThatThrownBy(() -> CliConfig.read(file)).isInstanceOf(CliException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"url\" must be a string");
        Files.writeString(file, "{nope");
        assertThatThrownBy(() -> CliConfig.read(file)).hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 1");
    }
}
