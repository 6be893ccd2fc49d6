package dev.weft.server.it;

import dev.weft.engine.store.BundleRef;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.store.WeftDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DAG bundle jar dropped into the scheduler's DAGs folder runs its callables on a {@code weft worker} process with
 * another WEFT_HOME and no DAGs folder: the worker fetches the bundle's version from the database and caches it. A
 * replaced jar is new code for new tries; a version the worker cannot get fails the try, naming it, and the worker
 * goes on.
 */
class BundlesOnWorkersIT {
    private static final String BUNDLE_DAG = "bundle_callable";
    private static final String FILE_DAG = "file_callable";
    private static final String SHELL_DAG = "bundle_shell";

    @TempDir
    Path home;
    private final EngineProcesses processes = new EngineProcesses();

    @AfterEach
    void stop() throws Exception {
        processes.close();
    }

    @Test
    void aWorkerWithAnotherHomeRunsTheCallablesOfABundleInTheSchedulersFolder() throws Exception {
        Path schedulerHome = Files.createDirectories(home.resolve("scheduler"));
        Path workerHome = Files.createDirectories(home.resolve("worker"));
        Path dags = Files.createDirectories(schedulerHome.resolve("dags"));
        String settings = processes.databaseSetting() + "loadExamples: false\n";
        Files.copy(bundle(home.resolve("v1"), "v1"), dags.resolve("acme-dags.jar"));
        // A jar that does not load is an import error of its own, searched by no DAG file (it comes first in order).
        Files.writeString(dags.resolve("a-broken.jar"), "not a zip");
        // A DAG file whose callable lives in the bundle resolves through it too, on the worker as in the scheduler.
        Files.writeString(dags.resolve("file-dag.yaml"), """
                dag_id: file_callable
                start_date: 2026-01-01
                tasks:
                  - task_id: greet
                    type: standard.callable
                    params: {callable: "com.acme.Greetings::greet", op_args: ["a file"]}
                """);
        processes.launch("scheduler", schedulerHome, settings);
        Process worker = processes.launch("worker", workerHome, settings + "workerSlots: 2\n");
        WeftDatabase store = processes.database().database();
        processes.await(Duration.ofSeconds(90), () -> bundleOf(store, FILE_DAG).isPresent()
                && processes.workerPid() == worker.pid());
        BundleRef v1 = bundleOf(store, BUNDLE_DAG).orElseThrow();
        assertThat(v1.version()).isEqualTo(sha256(dags.resolve("acme-dags.jar")));
        assertThat(bundleOf(store, FILE_DAG)).contains(v1);
        assertThat(store.importErrors().list()).singleElement()
                .satisfies(e -> assertThat(e.filename()).endsWith("a-broken.jar"));

        RunRecord first = processes.runToTheEnd(BUNDLE_DAG, Map.of());
        assertThat(first.state()).isEqualTo(RunState.SUCCESS);
        assertThat(log(store, first, BUNDLE_DAG)).anyMatch(l -> l.contains("Returned value was: v1 hello a bundle"));
        assertThat(processes.ranOn(first)).containsOnly(worker.pid());
        assertThat(workerHome.resolve("cache/bundles/acme-dags.jar/" + v1.version() + ".jar")).isRegularFile();
        RunRecord fromFile = processes.runToTheEnd(FILE_DAG, Map.of());
        assertThat(fromFile.state()).isEqualTo(RunState.SUCCESS);
        assertThat(log(store, fromFile, FILE_DAG)).anyMatch(l -> l.contains("Returned value was: v1 hello a file"));

        // A new version: new tries run the new code.
        BundleRef v2 = replace(store, dags, "v2");
        RunRecord second = processes.runToTheEnd(BUNDLE_DAG, Map.of());
        assertThat(second.state()).isEqualTo(RunState.SUCCESS);
        assertThat(log(store, second, BUNDLE_DAG)).anyMatch(l -> l.contains("Returned value was: v2 hello a bundle"));
        assertThat(workerHome.resolve("cache/bundles/acme-dags.jar/" + v2.version() + ".jar")).isRegularFile();

        // A version whose bytes were damaged in the database: the try fails naming it; other work goes on.
        BundleRef v3 = replace(store, dags, "v3");
        store.jdbi().useHandle(h -> h.createUpdate("UPDATE dag_bundle SET content = '\\x00ff'::bytea"
                + " WHERE name = :name AND version = :version").bindMethods(v3).execute());
        RunRecord corrupt = processes.runToTheEnd(BUNDLE_DAG, Map.of());
        assertThat(corrupt.state()).isEqualTo(RunState.FAILED);
        assertThat(log(store, corrupt, BUNDLE_DAG)).anyMatch(l -> l.contains("bundle acme-dags.jar version "
                + v3.shortVersion() + ": the database holds corrupt bytes"));
        assertThat(processes.runToTheEnd(SHELL_DAG, Map.of()).state()).isEqualTo(RunState.SUCCESS);

        // A version missing from the database: the same, with its own reason.
        store.jdbi().useHandle(h -> h.createUpdate("DELETE FROM dag_bundle WHERE name = :name AND version = :version")
                .bindMethods(v3).execute());
        RunRecord missing = processes.runToTheEnd(BUNDLE_DAG, Map.of());
        assertThat(missing.state()).isEqualTo(RunState.FAILED);
        assertThat(log(store, missing, BUNDLE_DAG)).anyMatch(l -> l.contains("bundle acme-dags.jar version "
                + v3.shortVersion() + ": not in the database"));
        assertThat(worker.isAlive()).isTrue();
        assertThat(processes.runToTheEnd(SHELL_DAG, Map.of()).state()).isEqualTo(RunState.SUCCESS);
    }

    /** Drops a new version of the jar into the folder and waits until the DAGs name it. */
    private BundleRef replace(WeftDatabase store, Path dags, String version) throws Exception {
        Path jar = bundle(home.resolve(version), version);
        Files.copy(jar, dags.resolve("acme-dags.jar.part"));
        Files.move(dags.resolve("acme-dags.jar.part"), dags.resolve("acme-dags.jar"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String sha = sha256(jar);
        processes.await(Duration.ofSeconds(60), () -> bundleOf(store, BUNDLE_DAG).map(BundleRef::version).orElse("")
                .equals(sha));
        // A worker sees a DAG's new version within about a second (its DAG catalog re-checks each DAG that often).
        Thread.sleep(1_200);
        return bundleOf(store, BUNDLE_DAG).orElseThrow();
    }

    /** A bundle with the callable DAG and a shell-only DAG, whose callable answers "{version} hello {who}". */
    private static Path bundle(Path dir, String version) throws Exception {
        return PluginJars.buildBundle(dir.resolve("acme-dags.jar"), Map.of(
                "com.acme.Greetings", """
                        package com.acme;

                        public final class Greetings {
                            public static String greet(String who) {
                                return "%s hello " + who;
                            }
                        }
                        """.formatted(version),
                "com.acme.AcmeDags", """
                        package com.acme;

                        import dev.weft.spi.DagProvider;
                        import dev.weft.spi.dag.Dag;
                        import dev.weft.spi.dag.DagSpec;
                        import dev.weft.spi.dag.OperatorRef;
                        import java.time.Instant;
                        import java.util.List;
                        import java.util.Map;
import java.util.Optional;

                        public final class AcmeDags implements DagProvider {
                            @Override
                            public List<DagSpec> dags() {
                                Instant start = Instant.parse("2026-01-01T00:00:00Z");
                                var callable = Dag.builder("bundle_callable").startDate(start);
                                callable.task("greet", OperatorRef.of("standard.callable", Map.of(
                                        "callable", "com.acme.Greetings::greet", "op_args", List.of("a bundle"))));
                                var shell = Dag.builder("bundle_shell").startDate(start);
                                shell.task("echo", OperatorRef.of("standard.shell", Map.of("command", "echo shell")));
                                return List.of(callable.build(), shell.build());
                            }
                        }
                        """), "com.acme.AcmeDags");
    }

    private static List<String> log(WeftDatabase store, RunRecord run, String dagId) {
        String taskId = dagId.equals(BUNDLE_DAG) || dagId.equals(FILE_DAG) ? "greet" : "echo";
        long id = store.taskInstances().find(dagId, run.runId(), taskId).orElseThrow().id();
        return store.logs().read(id, 1, 0, 1000).lines();
    }

    private static Optional<BundleRef> bundleOf(WeftDatabase store, String dagId) {
        return store.dags().find(dagId).flatMap(d -> d.bundles().stream().findFirst());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
