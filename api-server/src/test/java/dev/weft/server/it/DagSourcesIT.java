package dev.weft.server.it;

import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server and its DAGs folder: files and bundle jars dropped in, edited, broken and deleted take effect within
 * seconds, without a restart, while the safety-net scan is 30 s away.
 */
class DagSourcesIT {
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    @TempDir
    Path home;
    private final TestDatabase db = TestDatabase.create();
    private int port;
    private Process server;
    private Jdbi jdbi;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        db.close();
    }

    @Test
    void dagFilesAndBundlesComeAndGoWhileTheServerRuns() throws Exception {
        jdbi = db.database().jdbi();
        Path dags = Files.createDirectories(home.resolve("dags"));
        server = start(dags);
        await(Duration.ofSeconds(60), () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM worker").mapTo(Long.class).one()) > 0);

        // A new file: the DAG appears within seconds, and it runs.
        Path hello = dags.resolve("hello.yaml");
        Files.writeString(hello, helloDag(""));
        await(QUICKLY, () -> active("file_dag").orElse(false));
        await(Duration.ofSeconds(60), () -> "success".equals(runState("file_dag")));
        assertThat(fileloc("file_dag")).isEqualTo(hello.toString());

        // It can be triggered through the REST API, and the manual run runs too.
        db.database().users().create(new UserStore.User("tester", PasswordHasher.hash("tester-pw"), "User", null,
                null, null, true, null, null, 0, null));
        await(Duration.ofSeconds(30), () -> {
            try {
                return trigger("file_dag", "{\"dag_run_id\": \"by_hand\", \"conf\": {\"k\": 1}}") == 200;
            } catch (Exception e) {
                return false;
            }
        });
        await(Duration.ofSeconds(60), () -> "success".equals(jdbi.withHandle(h -> h.createQuery(
                "SELECT state FROM dag_run WHERE dag_id = 'file_dag' AND run_id = 'by_hand'")
                .mapTo(String.class).findFirst().orElse(null))));

        // An edit changes the DAG.
        Files.writeString(hello, helloDag("""
                  - task_id: c
                    type: standard.empty
                    upstream: [b]
                """));
        await(QUICKLY, () -> taskIds("file_dag").contains("c"));

        // A broken file is an import error with line and column; the other DAGs keep working.
        Path broken = dags.resolve("broken.yaml");
        Files.writeString(broken, """
                dag_id: broken_dag
                tasks:
                  - task_id: a
                    type: standard.empty
                   params: [oops
                """);
        await(QUICKLY, () -> importError("broken.yaml").isPresent());
        assertThat(importError("broken.yaml").orElseThrow()).contains("line 5, column").contains("YAML syntax error");
        assertThat(active("file_dag")).contains(true);

        // Unknown type (with the close ones) and a param of the wrong type, located in the file.
        Path typo = dags.resolve("typo.yml");
        Files.writeString(typo, """
                dag_id: typo_dag
                tasks:
                  - task_id: a
                    type: standard.emty
                  - task_id: b
                    type: standard.shell
                    params: {command: [not, a, string]}
                """);
        await(QUICKLY, () -> importError("typo.yml").isPresent());
        assertThat(importError("typo.yml").orElseThrow())
                .contains("line 3, column 5: DAG 'typo_dag': task 'a': unknown operator type 'standard.emty'; "
                        + "did you mean standard.empty")
                .contains("command");
        assertThat(active("typo_dag")).isEmpty();

        // Fixing the file clears its import error.
        Files.writeString(broken, helloDag("").replace("file_dag", "broken_dag"));
        await(QUICKLY, () -> importError("broken.yaml").isEmpty() && active("broken_dag").orElse(false));

        // Deleting a file makes its DAG inactive; its history stays.
        Files.delete(hello);
        await(QUICKLY, () -> !active("file_dag").orElse(true));
        assertThat(runState("file_dag")).isEqualTo("success");

        // A bundle jar built here and dropped in is picked up the same way.
        Path jar = buildBundle(home.resolve("build"));
        Files.copy(jar, dags.resolve("bundle.jar"));
        await(QUICKLY, () -> active("bundle_dag").orElse(false));
        await(Duration.ofSeconds(60), () -> "success".equals(runState("bundle_dag")));

        // The same DAG id in a second file is refused, naming both files.
        Files.writeString(dags.resolve("dup.yaml"), helloDag("").replace("file_dag", "bundle_dag"));
        await(QUICKLY, () -> importError("dup.yaml").isPresent());
        assertThat(importError("dup.yaml").orElseThrow()).contains("bundle.jar").contains("already defined");
        assertThat(fileloc("bundle_dag")).endsWith("bundle.jar");

        // A jar that is not a jar is an import error of its own.
        Files.writeString(dags.resolve("bad.jar"), "not a zip");
        await(QUICKLY, () -> importError("bad.jar").isPresent());
        assertThat(importError("bad.jar").orElseThrow()).contains("cannot be opened");
        assertThat(active("bundle_dag")).contains(true);
    }

    private static String helloDag(String moreTasks) {
        return """
                dag_id: file_dag
                schedule: "@once"
                start_date: 2026-01-01
                tags: [it]
                chains:
                  - [a, b]
                tasks:
                  - task_id: a
                    type: standard.shell
                    params: {command: "echo hello from a file"}
                  - task_id: b
                    type: standard.empty
                """ + moreTasks;
    }

    /** Compiles a DagProvider against the SPI and packs it as a bundle jar. */
    private static Path buildBundle(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/com/acme"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src.resolve("AcmeDags.java"), """
                package com.acme;

                import dev.weft.spi.DagProvider;
                import dev.weft.spi.dag.Dag;
                import dev.weft.spi.dag.DagSpec;
                import dev.weft.spi.dag.OperatorRef;
                import java.time.Instant;
                import java.util.Base64;
import java.util.List;
                import java.util.Map;

                public final class AcmeDags implements DagProvider {
                    @Override
                    public List<DagSpec> dags() {
                        var dag = Dag.builder("bundle_dag").schedule("@once")
                                .startDate(Instant.parse("2026-01-01T00:00:00Z"));
                        dag.task("hello", OperatorRef.of("standard.shell", Map.of("command", "echo from a bundle")))
                                .then(dag.task("done", OperatorRef.of("standard.empty", Map.of())));
                        return List.of(dag.build());
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.resolve("AcmeDags.java").toString());
        assertThat(rc).isZero();
        Path jar = dir.resolve("acme-dags.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.weft.spi.DagProvider"));
            out.write("com.acme.AcmeDags\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private Process start(Path dags) throws IOException {
        ServerProcess.Started started = ServerProcess.launch(home, """
                databaseUrl: "%s"
                loadExamples: false
                dagsFolder: %s
                dagsFolderScanIntervalSeconds: 30
                """.formatted(db.url(), dags), Map.of());
        port = started.port();
        return started.process();
    }

    /** Triggers a run through the REST API, as a user would; returns the HTTP status. */
    private int trigger(String dagId, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/dags/" + dagId
                        + "/dagRuns"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "tester:tester-pw".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private Optional<Boolean> active(String dagId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT is_active FROM dag WHERE dag_id = :d")
                .bind("d", dagId).mapTo(Boolean.class).findOne());
    }

    private String fileloc(String dagId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT fileloc FROM dag WHERE dag_id = :d")
                .bind("d", dagId).mapTo(String.class).one());
    }

    private List<String> taskIds(String dagId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT t->>'taskId' FROM dag, jsonb_array_elements(spec->'tasks') t WHERE dag_id = :d")
                .bind("d", dagId).mapTo(String.class).list());
    }

    private String runState(String dagId) {
        List<String> states = jdbi.withHandle(h -> h.createQuery("SELECT state FROM dag_run WHERE dag_id = :d ORDER BY id")
                .bind("d", dagId).mapTo(String.class).list());
        return states.isEmpty() ? null : states.get(0);
    }

    private Optional<String> importError(String fileName) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT stack_trace FROM import_error WHERE filename LIKE '%/' || :f")
                .bind("f", fileName).mapTo(String.class).findFirst());
    }

    private void await(Duration timeout, BooleanSupplier condition) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + timeout + "; import errors: "
                        + jdbi.withHandle(h -> h.createQuery("SELECT filename || ': ' || stack_trace FROM import_error")
                        .mapTo(String.class).list()) + "; server log:\n"
                        + Files.readString(home.resolve("server.log")).lines().filter(l -> !l.startsWith("\tat"))
                        .reduce("", (a, b) -> a.length() > 20_000 ? a : a + b + "\n"));
            }
            Thread.sleep(100);
        }
    }
}
