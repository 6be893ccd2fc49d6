package dev.weft.examples;

import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The callables on their own; the DAGs that use them are tested on the engine in the other tests. */
class SupermarketsTest {
    @TempDir
    Path data;
    private Path supermarket1;
    private final TestTaskContext ctx = TestTaskContext.builder().dagId("listing_6_02").taskId("wait_for_supermarket_1")
            .build();

    @BeforeEach
    void folder() throws Exception {
        supermarket1 = Files.createDirectories(data.resolve("supermarket1"));
    }

    private boolean arrived() {
        return Supermarkets.dataArrived("supermarket1", data.toString(), ctx);
    }

    @Test
    void anEmptyOrMissingFolderHasNotArrived() {
        assertThat(arrived()).isFalse();
        assertThat(Supermarkets.dataArrived("supermarket9", data.toString(), ctx)).isFalse();
    }

    @Test
    void successAloneIsNotEnough() throws Exception {
        Files.createFile(supermarket1.resolve("_SUCCESS"));
        assertThat(arrived()).isFalse();
        assertThat(ctx.logText()).contains("0 data-*.csv file(s)", "_SUCCESS present", "waiting for");
    }

    @Test
    void dataWithoutSuccessIsStillUploading() throws Exception {
        Files.writeString(supermarket1.resolve("data-01.csv"), "id,promotion\n");
        assertThat(arrived()).isFalse();
        assertThat(ctx.logText()).contains("1 data-*.csv file(s) [data-01.csv]", "_SUCCESS missing");
    }

    @Test
    void dataAndSuccessMeanTheUploadIsComplete() throws Exception {
        Files.writeString(supermarket1.resolve("data-01.csv"), "id,promotion\n");
        Files.writeString(supermarket1.resolve("data-02.csv"), "id,promotion\n");
        Files.createFile(supermarket1.resolve("_SUCCESS"));
        assertThat(arrived()).isTrue();
        assertThat(ctx.logText()).contains("2 data-*.csv file(s) [data-01.csv, data-02.csv]", "the upload is complete");
    }

    @Test
    void otherFilesAndFoldersDoNotCountAsData() throws Exception {
        Files.createFile(supermarket1.resolve("_SUCCESS"));
        Files.createFile(supermarket1.resolve("data.csv"));
        Files.createFile(supermarket1.resolve("data-01.csv.tmp"));
        Files.createDirectory(supermarket1.resolve("data-02.csv"));
        assertThat(arrived()).isFalse();
    }

    @Test
    void printConfLogsTheRunsConf() {
        TestTaskContext run = TestTaskContext.builder().dagId("listing_6_08").taskId("copy_to_raw")
                .conf(Map.of("supermarket_id", 1)).build();
        Supermarkets.printConf(run);
        assertThat(run.logLines()).contains("INFO dag_run.conf: {supermarket_id=1}");
    }

    @Test
    void theLatestCompleteDayOfAFiveHourInterval() {
        // [00:00, 05:00) of the 22nd ends on the 22nd: the latest complete day is the 21st.
        assertThat(ExecutionDates.latestCompleteDay(Instant.parse("2026-11-22T00:00:00Z")))
                .containsExactly(Instant.parse("2026-11-21T00:00:00Z"));
        // [22:00 on the 21st, 03:00 on the 22nd) also ends on the 22nd.
        assertThat(ExecutionDates.latestCompleteDay(Instant.parse("2026-11-21T22:00:00Z")))
                .containsExactly(Instant.parse("2026-11-21T00:00:00Z"));
        // [19:00, 00:00) ends exactly when the 22nd begins, so the 21st is complete.
        assertThat(ExecutionDates.latestCompleteDay(Instant.parse("2026-11-21T19:00:00Z")))
                .containsExactly(Instant.parse("2026-11-21T00:00:00Z"));
        // [18:00, 23:00) of the 21st: the 21st is not over yet, so the 20th.
        assertThat(ExecutionDates.latestCompleteDay(Instant.parse("2026-11-21T18:00:00Z")))
                .containsExactly(Instant.parse("2026-11-20T00:00:00Z"));
    }
}
