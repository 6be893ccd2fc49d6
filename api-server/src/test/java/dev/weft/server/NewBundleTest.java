package dev.weft.server;

import dev.weft.spi.TaskState;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The project {@code weft dags new-bundle} writes compiles, and its DAG runs with callables from its own loader. */
class NewBundleTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private int run(String... args) {
        return NewBundle.run(args, dir, "1.2.3", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theProjectCompilesAndItsDagRunsItsOwnCallables() throws Exception {
        assertThat(run("promo-dags", "--package", "com.acme.promo")).isZero();
        Path project = dir.resolve("promo-dags");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote the DAG bundle project " + project)
                .contains("cp target/promo-dags.jar");
        assertThat(Files.readString(project.resolve("pom.xml"))).contains("<weft.version>1.2.3</weft.version>")
                .contains("<artifactId>weft-spi</artifactId>").contains("<parameters>true</parameters>")
                .contains("<finalName>promo-dags</finalName>");
        assertThat(Files.readString(project.resolve("src/main/resources/META-INF/services/dev.weft.spi.DagProvider")))
                .isEqualTo("com.acme.promo.PromoDagsDags\n");

        // What mvn package does, with the SPI and the standard plugin as the provided class path.
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> javac = new ArrayList<>(List.of("-d", classes.toString(), "-parameters",
                "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> sources = Files.walk(project.resolve("src/main/java"))) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new))).isZero();
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.copy(project.resolve("src/main/resources/META-INF/services/dev.weft.spi.DagProvider"),
                classes.resolve("META-INF/services/dev.weft.spi.DagProvider"));

        engine = new EngineHarness(Instant.now());
        try (URLClassLoader bundle = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                getClass().getClassLoader())) {
            assertThat(engine.registry.registerProviders(bundle, "promo-dags.jar")).contains("promo_dags");
            assertThat(engine.registry.importErrors()).isEmpty();
            engine.settle();
            String runId = engine.runsOf("promo_dags").get(0).runId();
            // The sensor's callable was found in the bundle and ran: it logged what it saw.
            assertThat(engine.states("promo_dags", runId).get("wait_for_supermarket_1"))
                    .isIn(TaskState.UP_FOR_RESCHEDULE, TaskState.SUCCESS);
            assertThat(engine.log("promo_dags", runId, "wait_for_supermarket_1", 1))
                    .anyMatch(l -> l.contains("supermarket1") && (l.contains("does not exist yet")
                            || l.contains("waiting for data-*.csv") || l.contains("complete")));
        }
    }

    @Test
    void badArgumentsAndAnExistingFolderAreRefused() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(run("Bad Name")).isEqualTo(2);
        assertThat(run("ok", "--package", "Com.Acme")).isEqualTo(2);
        Files.createDirectories(dir.resolve("taken"));
        assertThat(run("taken")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("weft dags new-bundle: NAME is required")
                .contains("NAME must be lower case").contains("--package must be a Java package name")
                .contains(dir.resolve("taken") + " already exists");
        assertThat(NewBundle.camel("my-promo_dags")).isEqualTo("MyPromoDags");
    }
}
