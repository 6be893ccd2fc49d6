package dev.weft.server;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The folders Weft derives from its home follow the home, however the configuration was built. */
class WeftConfigurationTest {
    private final YamlConfigurationFactory<WeftConfiguration> factory = new YamlConfigurationFactory<>(
            WeftConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    /** Without a file Dropwizard round-trips a default instance through JSON: nothing derived may freeze there. */
    @Test
    void withoutAFileTheDagsFolderFollowsAHomeSetLater() throws Exception {
        WeftConfiguration config = factory.build();
        config.setWeftHome("/srv/weft");
        assertThat(config.dagsFolderPath()).isEqualTo(Path.of("/srv/weft/dags"));
    }

    @Test
    void aFileSetsTheHomeAndTheDagsFolderFollows(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("weft.yml"), "weftHome: /opt/weft\n");
        WeftConfiguration config = factory.build(path -> Files.newInputStream(Path.of(path)), file.toString());
        assertThat(config.getWeftHome()).isEqualTo("/opt/weft");
        assertThat(config.dagsFolderPath()).isEqualTo(Path.of("/opt/weft/dags"));

        Files.writeString(file, "weftHome: /opt/weft\ndagsFolder: /repo/dags\n");
        config = factory.build(path -> Files.newInputStream(Path.of(path)), file.toString());
        assertThat(config.dagsFolderPath()).isEqualTo(Path.of("/repo/dags"));
    }

    @Test
    void theDefaultHomeIsWeftHomeElseDotWeft() {
        assertThat(WeftConfiguration.defaultHome(Map.of("WEFT_HOME", "/tmp/h"), "/home/u")).isEqualTo("/tmp/h");
        assertThat(WeftConfiguration.defaultHome(Map.of("WEFT_HOME", "  "), "/home/u")).isEqualTo("/home/u/.weft");
        assertThat(WeftConfiguration.defaultHome(Map.of(), "/home/u")).isEqualTo("/home/u/.weft");
    }
}
