package dev.weft.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DataRootTest {
    @Test
    void weftDataDirWins() {
        assertThat(DataRoot.resolve(Map.of("WEFT_DATA_DIR", "/srv/promotions", "WEFT_HOME", "/opt/weft"), "/home/u"))
                .isEqualTo(Path.of("/srv/promotions"));
    }

    @Test
    void otherwiseTheDataFolderOfWeftHome() {
        assertThat(DataRoot.resolve(Map.of("WEFT_HOME", "/opt/weft"), "/home/u")).isEqualTo(Path.of("/opt/weft/data"));
    }

    @Test
    void weftHomeDefaultsToDotWeftInTheUsersHome() {
        assertThat(DataRoot.resolve(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.weft/data"));
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(DataRoot.resolve(Map.of("WEFT_DATA_DIR", " ", "WEFT_HOME", ""), "/home/u"))
                .isEqualTo(Path.of("/home/u/.weft/data"));
    }

    @Test
    void theResultIsAbsolute() {
        assertThat(DataRoot.resolve(Map.of("WEFT_DATA_DIR", "data"), "/home/u")).isAbsolute();
    }
}
