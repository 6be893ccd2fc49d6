package dev.weft.plugins.standard;

import dev.weft.spi.Connection;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.PokeResult;
import dev.weft.spi.WatchedPath;
import dev.weft.testkit.SensorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSensorTest {
    @TempDir
    Path dir;
    private final FileSensorFactory factory = new FileSensorFactory();
    private final TestTaskContext ctx = TestTaskContext.create();

    private PokeResult poke(Map<String, ?> params) throws Exception {
        return SensorHarness.pokeOnce(factory, params, ctx);
    }

    private PokeResult poke(String filepath) throws Exception {
        return poke(Map.of("filepath", filepath));
    }

    private Path file(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "x");
    }

    @Test
    void waitsForAGlobMatchAndOutputsTheMatches() throws Exception {
        var sensor = SensorHarness.of(factory, Map.of("filepath", dir + "/supermarket1/data-*.csv"), ctx);
        assertThat(sensor.poke()).isInstanceOf(PokeResult.NotYet.class);
        file("supermarket1/data-01.csv");
        file("supermarket1/data-02.csv");
        file("supermarket1/other.csv");
        assertThat(sensor.poke()).isEqualTo(PokeResult.ready(List.of(
                dir + "/supermarket1/data-01.csv", dir + "/supermarket1/data-02.csv")));
        assertThat(ctx.logLines()).contains("INFO Poking for file " + dir + "/supermarket1/data-*.csv",
                "INFO " + dir + "/supermarket1/data-*.csv: no match");
        assertThat(ctx.logLines()).anyMatch(l -> l.startsWith("INFO Found 2 match(es)"));
    }

    @Test
    void literalSegmentsAroundWildcardsThroughLinksAndFiles() throws Exception {
        file("in/2026/a/day/data.csv");
        file("in/2026/b/day/data.csv");
        file("in/2026/b/other/data.csv");
        Files.createSymbolicLink(dir.resolve("latest"), dir.resolve("in/2026/b"));
        assertThat(poke(dir + "/in/2026/*/day/data.csv")).isEqualTo(PokeResult.ready(List.of(
                dir + "/in/2026/a/day/data.csv", dir + "/in/2026/b/day/data.csv")));
        assertThat(poke(dir + "/latest/day/data.csv")).as("through a link to a directory")
                .isEqualTo(PokeResult.ready(List.of(dir + "/latest/day/data.csv")));
        assertThat(poke(dir + "/in/2026/b/day/../other/data.csv")).isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(dir + "/in/2026/a/day/data.csv/more")).as("a file is not a directory")
                .isInstanceOf(PokeResult.NotYet.class);
        assertThat(poke(dir + "/in/2026/c/day/data.csv")).isInstanceOf(PokeResult.NotYet.class);
        assertThat(poke(dir + "/in/*/b/day/")).as("a trailing slash asks for a directory")
                .isEqualTo(PokeResult.ready(List.of(dir + "/in/2026/b/day")));
    }

    @Test
    void aPathWithoutWildcardsMatchesAsTheGlobDoesButForALinkToNothing() throws Exception {
        file("in/day/data.csv");
        Files.createDirectories(dir.resolve("in/empty"));
        Files.createSymbolicLink(dir.resolve("latest"), dir.resolve("in/day"));
        Files.createSymbolicLink(dir.resolve("in/broken.csv"), dir.resolve("in/nothing.csv"));
        for (String path : List.of("in/day/data.csv", "latest/data.csv", "in/day/../day/data.csv", "in//day/data.csv",
                "in/day/", "in/day/data.csv/", "in/day/data.csv/more", "in/empty", "in/missing/data.csv",
                "never/data.csv")) {
            String pattern = dir + "/" + path;
            assertThat(FileSensorFactory.matches(pattern, false)).as(pattern)
                    .isEqualTo(Glob.expand(pattern, false));
        }
        assertThat(Glob.expand(dir + "/in/broken.csv", false)).hasSize(1);
        assertThat(FileSensorFactory.matches(dir + "/in/broken.csv", false)).isEmpty();
        assertThat(poke(dir + "/in/broken.csv")).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).contains("INFO " + dir + "/in/broken.csv: no match");
    }

    @Test
    void anEmptyFileCounts() throws Exception {
        Files.createFile(dir.resolve("data.csv"));
        assertThat(poke(dir + "/data.csv")).isEqualTo(PokeResult.ready(List.of(dir + "/data.csv")));
    }

    @Test
    void questionMarksAndCharacterClasses() throws Exception {
        file("data-1.csv");
        file("data-x.csv");
        file("data-10.csv");
        assertThat(poke(dir + "/data-?.csv")).isEqualTo(PokeResult.ready(List.of(dir + "/data-1.csv", dir + "/data-x.csv")));
        assertThat(poke(dir + "/data-[0-9].csv")).isEqualTo(PokeResult.ready(List.of(dir + "/data-1.csv")));
        assertThat(poke(dir + "/data-[!0-9].csv")).isEqualTo(PokeResult.ready(List.of(dir + "/data-x.csv")));
        assertThat(poke(dir + "/data-[yz].csv")).isInstanceOf(PokeResult.NotYet.class);
    }

    @Test
    void doubleStarCrossesDirectoriesOnlyWhenRecursive() throws Exception {
        file("in/a/b/data-1.csv");
        String pattern = dir + "/in/**/data-*.csv";
        assertThat(poke(pattern)).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).contains("INFO '**' matches one directory level only unless recursive is true");
        assertThat(poke(Map.of("filepath", pattern, "recursive", true)))
                .isEqualTo(PokeResult.ready(List.of(dir + "/in/a/b/data-1.csv")));

        file("in/a/data-2.csv");
        // Without recursive, ** is a plain *: exactly one directory level.
        assertThat(poke(pattern)).isEqualTo(PokeResult.ready(List.of(dir + "/in/a/data-2.csv")));
        // With recursive, ** also matches zero directories.
        file("in/data-0.csv");
        assertThat(poke(Map.of("filepath", pattern, "recursive", true))).isEqualTo(PokeResult.ready(List.of(
                dir + "/in/a/b/data-1.csv", dir + "/in/a/data-2.csv", dir + "/in/data-0.csv")));
    }

    @Test
    void wildcardsSkipDotfilesUnlessThePatternStartsWithADot() throws Exception {
        file("drop/.data-1.csv");
        assertThat(poke(dir + "/drop/*")).isInstanceOf(PokeResult.NotYet.class);
        assertThat(poke(dir + "/drop/*data-1.csv")).isInstanceOf(PokeResult.NotYet.class);
        assertThat(poke(dir + "/drop/.*")).isEqualTo(PokeResult.ready(List.of(dir + "/drop/.data-1.csv")));
        assertThat(poke(dir + "/drop/.data-1.csv")).isInstanceOf(PokeResult.Ready.class);
        file("deep/.hidden/data.csv");
        assertThat(poke(Map.of("filepath", dir + "/deep/**/data.csv", "recursive", true))).isInstanceOf(PokeResult.NotYet.class);
    }

    @Test
    void aDirectoryCountsOnlyWithAFileBeneathIt() throws Exception {
        Files.createDirectories(dir.resolve("landing/empty/sub"));
        assertThat(poke(dir + "/landing")).isInstanceOf(PokeResult.NotYet.class);
        assertThat(ctx.logLines()).anyMatch(l -> l.contains("1 match(es), but none is a file or a directory with a file in it"));
        file("landing/empty/sub/_SUCCESS");
        assertThat(poke(dir + "/landing")).isEqualTo(PokeResult.ready(List.of(dir + "/landing")));
        assertThat(poke(dir + "/lan*")).isEqualTo(PokeResult.ready(List.of(dir + "/landing")));
    }

    @Test
    void relativePathsStartFromBasePath() throws Exception {
        file("supermarket2/data.csv");
        assertThat(poke(Map.of("filepath", "supermarket2/data.csv", "base_path", dir.toString())))
                .isEqualTo(PokeResult.ready(List.of(dir + "/supermarket2/data.csv")));
        // An absolute filepath ignores base_path, as os.path.join does.
        assertThat(poke(Map.of("filepath", dir + "/supermarket2/data.csv", "base_path", "/nowhere")))
                .isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void theOutputIsBounded() throws Exception {
        IntStream.range(0, 150).forEach(i -> {
            try {
                file(String.format("many/f%03d", i));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        PokeResult result = poke(dir + "/many/*");
        assertThat((List<?>) ((PokeResult.Ready) result).output()).hasSize(100).first().isEqualTo(dir + "/many/f000");
    }

    @Test
    void filepathIsRequired() {
        assertThatThrownBy(() -> poke(Map.of("recursive", true))).isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith("filepath: is required");
        assertThat(factory.isTemplated("filepath")).isTrue();
        assertThat(factory.isTemplated("recursive")).isFalse();
    }

    @Test
    void declaresTheAbsolutePatternItWaitsForSoTheEngineCanWatchIt() {
        assertThat(factory.watchedPaths(new FileSensorFactory.Params("in/**/data-*.csv", true, "/srv/data"), ctx))
                .containsExactly(new WatchedPath("/srv/data/in/**/data-*.csv", true));
        assertThat(factory.watchedPaths(new FileSensorFactory.Params("/data/supermarket1/data.csv", false, null),
                ctx)).containsExactly(new WatchedPath("/data/supermarket1/data.csv", false));
    }

    @Test
    void fsConnIdTakesTheBasePathFromTheConnectionsExtraPath() throws Exception {
        file("landing/data.csv");
        TestTaskContext withConnection = TestTaskContext.builder().connection(new Connection("landing", "fs", null,
                null, null, null, null, Map.of("path", dir.resolve("landing").toString()))).build();
        assertThat(SensorHarness.pokeOnce(factory, Map.of("filepath", "data.csv", "fs_conn_id", "landing"),
                withConnection)).isEqualTo(PokeResult.ready(List.of(dir + "/landing/data.csv")));
        assertThat(factory.watchedPaths(new FileSensorFactory.Params("*.csv", false, null, "landing"),
                withConnection)).containsExactly(new WatchedPath(dir + "/landing/*.csv", false));
        // Airflow's default id without such a connection: the root, as Airflow's fs_default
        assertThat(new FileSensorFactory.Params("x", false, null, "fs_default").pattern(withConnection))
                .isEqualTo("/x");
        assertThatThrownBy(() -> SensorHarness.pokeOnce(factory, Map.of("filepath", "data.csv", "fs_conn_id",
                "nope"), withConnection)).isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("connection 'nope' does not exist").hasMessageContaining("--conn-type fs");
        assertThatThrownBy(() -> poke(Map.of("filepath", "a", "fs_conn_id", "landing", "base_path", "/")))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("cannot be given with base_path");
    }
}
