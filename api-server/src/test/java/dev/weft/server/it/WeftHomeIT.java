package dev.weft.server.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code WEFT_HOME=DIR weft standalone}, as a user starts it: every path Weft derives from its home is under DIR (the
 * embedded database, the admin password, the DAGs folder a file is dropped into, the data folder a task writes to).
 */
class WeftHomeIT {
    @TempDir
    Path home;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void standaloneKeepsEverythingUnderWeftHome() throws Exception {
        ServerProcess.Started started = ServerProcess.standalone(home, Map.of(), "--no-examples");
        server = started.process();
        Path password = home.resolve("standalone_admin_password.txt");
        // Generous: a first start creates the embedded database, slow on a machine busy with other builds.
        await(Duration.ofMinutes(3), () -> Files.exists(password) && status(started.port(), password,
                "/api/v1/health") == 200);
        assertThat(home.resolve("postgres")).isDirectory();
        assertThat(Files.readString(home.resolve("standalone.log")))
                .contains("Watching the DAGs folder " + home.resolve("dags"))
                .doesNotContain(".weft/dags");

        Path dags = Files.createDirectories(home.resolve("dags"));
        Files.writeString(dags.resolve("home_dag.yaml"), """
                dag_id: home_dag
                schedule: "@once"
                start_date: 2026-01-01
                tasks:
                  - task_id: write
                    type: standard.shell
                    params: {command: "mkdir -p ${env:WEFT_DATA_DIR} && echo hi > ${env:WEFT_DATA_DIR}/written"}
                """);
        await(Duration.ofSeconds(30), () -> status(started.port(), password, "/api/v1/dags/home_dag") == 200);
        await(Duration.ofSeconds(60), () -> Files.exists(home.resolve("data/written")));
    }

    private static int status(int port, Path password, String path) {
        try {
            String auth = Base64.getEncoder().encodeToString(("admin:" + Files.readString(password).strip())
                    .getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(5)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void await(Duration limit, BooleanSupplier condition) throws Exception {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(server.isAlive()).as("standalone is running; its log:%n%s",
                    Files.readString(home.resolve("standalone.log"))).isTrue();
            assertThat(Instant.now()).as("waited %s", limit).isBefore(end);
            Thread.sleep(200);
        }
    }
}
