package dev.weft.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupermarketDataTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-06");
    @TempDir
    Path data;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SupermarketData.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static SupermarketData.Request parse(String... args) {
        return SupermarketData.parse(List.of(args), Path.of("/home/u/.weft/data"), TODAY);
    }

    @Test
    void writesTheDataFilesThenSuccessIntoTheSupermarketsFolder() throws Exception {
        assertThat(run("supermarket-data", "--supermarket", "2", "--files", "2", "--date", "2026-11-30",
                "--data-dir", data.toString())).isZero();
        Path folder = data.resolve("supermarket2");
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "wrote " + folder.resolve("data-01.csv"), "wrote " + folder.resolve("data-02.csv"),
                "wrote " + folder.resolve("_SUCCESS"));
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .as("no temporary file is left").containsExactly("_SUCCESS", "data-01.csv", "data-02.csv");
        }
        assertThat(Supermarkets.dataFiles(folder)).containsExactly("data-01.csv", "data-02.csv");
        List<String> rows = Files.readAllLines(folder.resolve("data-01.csv"));
        assertThat(rows.get(0)).isEqualTo(
                "date,supermarket_id,file,product,category,promotion,regular_price,promo_price,units_sold");
        assertThat(rows.subList(1, rows.size())).hasSizeBetween(5, 12)
                .allSatisfy(row -> assertThat(row).matches("2026-11-30,2,1,\"[^\"]+\",[a-z]+,[^,]+,\\d+\\.\\d\\d,\\d+\\.\\d\\d,\\d+"));
    }

    @Test
    void noSuccessLeavesTheUploadIncompleteAndTheSameDayGivesTheSameRows() throws Exception {
        assertThat(run("supermarket-data", "--supermarket", "1", "--no-success", "--data-dir", data.toString()))
                .isZero();
        Path folder = data.resolve("supermarket1");
        assertThat(folder.resolve("_SUCCESS")).doesNotExist();
        assertThat(Supermarkets.dataFiles(folder)).hasSize(3);
        String first = Files.readString(folder.resolve("data-03.csv"));
        assertThat(run("supermarket-data", "--supermarket", "1", "--data-dir", data.toString())).isZero();
        assertThat(folder.resolve("_SUCCESS")).exists();
        assertThat(Files.readString(folder.resolve("data-03.csv"))).isEqualTo(first);
    }

    @Test
    void defaultsAreThreeFilesTodayAndTheDataFolderTheExamplesWatch() {
        assertThat(parse("supermarket-data", "--supermarket", "4")).isEqualTo(new SupermarketData.Request(4, TODAY,
                3, true, Path.of("/home/u/.weft/data")));
        assertThat(parse("supermarket-data", "--help")).isNull();
    }

    @Test
    void badArgumentsAreOneLineAndExitCode2() {
        assertThatThrownBy(() -> parse("supermarket-data")).hasMessageContaining("--supermarket N is required");
        assertThatThrownBy(() -> parse("supermarket-data", "--supermarket", "0"))
                .hasMessage("--supermarket: expected a whole number of at least 1, got '0'");
        assertThatThrownBy(() -> parse("supermarket-data", "--supermarket", "1", "--date", "today"))
                .hasMessage("--date: expected YYYY-MM-DD, got 'today'");
        assertThatThrownBy(() -> parse("supermarket-data", "--supermarket", "1", "--files"))
                .hasMessage("--files needs a value");
        assertThatThrownBy(() -> parse("supermarkets")).hasMessage("expected the command supermarket-data, got "
                + "'supermarkets'");
        assertThat(run("supermarket-data", "--sm", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("weft examples: unknown option '--sm'")
                .contains("Usage: weft examples supermarket-data");
    }
}
