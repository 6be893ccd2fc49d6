package dev.weft.server;

import dev.weft.server.api.MonitoringResource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code weft dags new-bundle NAME [--package P] [--dir DIR]}: writes a ready Maven project of a DAG bundle into
 * {@code DIR/NAME}: a {@code DagProvider} with one DAG whose sensor calls a callable of the bundle, its
 * {@code META-INF/services} entry, and a pom that compiles against this Weft's SPI and standard plugin
 * ({@code provided}, with parameter names kept for {@code op_kwargs}). {@code mvn package} gives the jar to copy into
 * the DAGs folder, where its callables resolve from the jar's own class loader.
 *
 * <p>It lives with the server, not in the CLI: it needs no running server, and the CLI stays a REST client; the
 * server jar knows the Weft version the bundle must compile against.
 */
public final class NewBundle {
    static final String USAGE = """
            Usage: weft dags new-bundle NAME [--package com.acme.dags] [--dir DIR]
            Writes a Maven project of a DAG bundle into DIR/NAME (DIR: the current folder). Then:
              cd NAME && mvn -q package && cp target/NAME.jar "${WEFT_HOME:-$HOME/.weft}/dags/\"""";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    private NewBundle() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Path.of(""), MonitoringResource.readVersion(), System.out, System.err));
    }

    /** Writes the project; returns the exit code (0 written, 2 bad arguments or an existing folder, 1 I/O). */
    static int run(String[] args, Path cwd, String weftVersion, PrintStream out, PrintStream err) {
        String name = null;
        String pkg = null;
        Path dir = cwd;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--package" -> pkg = i + 1 < args.length ? args[++i] : "";
                case "--dir" -> dir = cwd.resolve(i + 1 < args.length ? args[++i] : "");
                default -> {
                    if (name != null || args[i].startsWith("-")) {
                        return usage(err, "unexpected argument '" + args[i] + "'");
                    }
                    name = args[i];
                }
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return usage(err, name == null ? "NAME is required" : "NAME must be lower case letters, digits, - or _ "
                    + "(it names the jar), got '" + name + "'");
        }
        if (pkg == null) {
            pkg = "com.example." + name.replaceAll("[^a-z0-9]", "");
        }
        if (!PACKAGE.matcher(pkg).matches()) {
            return usage(err, "--package must be a Java package name in lower case, got '" + pkg + "'");
        }
        Path project = dir.resolve(name).toAbsolutePath().normalize();
        if (Files.exists(project)) {
            return usage(err, project + " already exists; choose another NAME or --dir");
        }
        try {
            for (Map.Entry<String, String> file : files(name, pkg, weftVersion).entrySet()) {
                Path path = project.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
        } catch (IOException e) {
            err.println("weft dags new-bundle: cannot write " + project + ": " + e.getMessage());
            return 1;
        }
        out.println("weft: wrote the DAG bundle project " + project);
        out.println("  build it:   cd " + project + " && mvn -q package");
        out.println("  install it: cp target/" + name + ".jar \"${WEFT_HOME:-$HOME/.weft}/dags/\"");
        return 0;
    }

    private static int usage(PrintStream err, String message) {
        err.println("weft dags new-bundle: " + message);
        err.println(USAGE);
        return 2;
    }

    /** The project's files by relative path. */
    static Map<String, String> files(String name, String pkg, String weftVersion) {
        String src = "src/main/java/" + pkg.replace('.', '/') + "/";
        String dagId = name.replace('-', '_');
        String className = camel(name);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%1$s</groupId>
                  <artifactId>%2$s</artifactId>
                  <version>0.1.0</version>
                  <description>A Weft DAG bundle: copy target/%2$s.jar into the DAGs folder ($WEFT_HOME/dags).</description>

                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <weft.version>%3$s</weft.version>
                  </properties>

                  <dependencies>
                    <!-- provided: Weft supplies the SPI and the plugins at run time; the jar holds only your classes. -->
                    <dependency>
                      <groupId>dev.weft</groupId>
                      <artifactId>weft-spi</artifactId>
                      <version>${weft.version}</version>
                      <scope>provided</scope>
                    </dependency>
                    <dependency>
                      <groupId>dev.weft</groupId>
                      <artifactId>weft-plugin-standard</artifactId>
                      <version>${weft.version}</version>
                      <scope>provided</scope>
                    </dependency>
                  </dependencies>

                  <build>
                    <finalName>%2$s</finalName>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.15.0</version>
                        <!-- Parameter names in the class files let op_kwargs name a callable's parameters. -->
                        <configuration>
                          <parameters>true</parameters>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(pkg, name, weftVersion));
        files.put("src/main/resources/META-INF/services/dev.weft.spi.DagProvider", pkg + "." + className + "Dags\n");
        files.put(src + className + "Dags.java", """
                package %1$s;

                import dev.weft.plugins.standard.Standard;
                import dev.weft.spi.DagProvider;
                import dev.weft.spi.dag.Dag;
                import dev.weft.spi.dag.DagBuilder;
                import dev.weft.spi.dag.DagSpec;
                import dev.weft.spi.dag.SensorMode;

                import java.nio.file.Path;
                import java.time.Duration;
                import java.util.List;

                /** The bundle's DAGs, listed in META-INF/services/dev.weft.spi.DagProvider. */
                public final class %2$sDags implements DagProvider {
                    /** Read configuration here, once per load, not in the callables. */
                    private final Path dataDir = Path.of(System.getenv().getOrDefault("WEFT_DATA_DIR",
                            Path.of(System.getenv().getOrDefault("WEFT_HOME",
                                    System.getProperty("user.home") + "/.weft"), "data").toString()));

                    @Override
                    public List<DagSpec> dags() {
                        DagBuilder dag = Dag.builder("%3$s").schedule("@daily").startDate(Dag.daysAgo(1))
                                .description("Waits for data-*.csv and _SUCCESS in supermarket1, then processes it");
                        var wait = dag.sensor("wait_for_supermarket_1",
                                        Standard.callableSensor(%2$sCallables.class, "dataArrived")
                                                .kwargs("folder", dataDir.resolve("supermarket1").toString()))
                                .mode(SensorMode.RESCHEDULE).pokeInterval(Duration.ofMinutes(1))
                                .timeout(Duration.ofHours(10));
                        var process = dag.task("process_supermarket_1",
                                Standard.callable(%2$sCallables.class, "process")
                                        .kwargs("folder", dataDir.resolve("supermarket1").toString()));
                        wait.then(process);
                        return List.of(dag.build());
                    }
                }
                """.formatted(pkg, className, dagId));
        files.put(src + className + "Callables.java", """
                package %1$s;

                import dev.weft.spi.TaskContext;

                import java.io.IOException;
                import java.nio.file.DirectoryStream;
                import java.nio.file.Files;
                import java.nio.file.Path;

                /** Callables: public static methods; their parameter names are the op_kwargs keys. */
                public final class %2$sCallables {
                    private %2$sCallables() {
                    }

                    /** Ready when the folder holds at least one data-*.csv and a _SUCCESS file. */
                    public static boolean dataArrived(String folder, TaskContext context) throws IOException {
                        Path dir = Path.of(folder);
                        if (!Files.isDirectory(dir)) {
                            context.log().info("{} does not exist yet", dir);
                            return false;
                        }
                        try (DirectoryStream<Path> data = Files.newDirectoryStream(dir, "data-*.csv")) {
                            boolean ready = data.iterator().hasNext() && Files.exists(dir.resolve("_SUCCESS"));
                            context.log().info("{}: {}", dir, ready ? "complete" : "waiting for data-*.csv and _SUCCESS");
                            return ready;
                        }
                    }

                    /** Counts the data files' lines (replace with your processing). */
                    public static long process(String folder, TaskContext context) throws IOException {
                        long lines = 0;
                        try (DirectoryStream<Path> data = Files.newDirectoryStream(Path.of(folder), "data-*.csv")) {
                            for (Path file : data) {
                                try (var stream = Files.lines(file)) {
                                    lines += stream.count();
                                }
                            }
                        }
                        context.log().info("{} lines of data in {}", lines, folder);
                        return lines;
                    }
                }
                """.formatted(pkg, className));
        files.put("README.md", """
                # %1$s: a Weft DAG bundle

                Build and install (needs a Weft built from source: `./weft build` puts its artifacts in your Maven
                repository):

                ```sh
                mvn -q package
                cp target/%1$s.jar "${WEFT_HOME:-$HOME/.weft}/dags/"
                ```

                Weft loads the jar within seconds; the DAG `%2$s` appears in the UI and `weft dags list`. Its callables
                (`%3$sCallables`) are loaded from this jar. Write the data the sensor waits for with
                `weft examples supermarket-data --supermarket 1`.

                See docs/dags.md ("DAG bundles") in the Weft repository.
                """.formatted(name, dagId, className));
        return files;
    }

    /** {@code my-dags} → {@code MyDags}. */
    static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("[-_]")) {
            if (!part.isEmpty()) {
                out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
