package dev.weft.server.it;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a plugin jar or a DAG bundle jar at test time: compiles sources against the test class path (the SPI) and
 * packages them.
 */
final class PluginJars {
    private PluginJars() {
    }

    /**
     * @param sources  fully qualified class name → source
     * @param provider the class listed in {@code META-INF/services/dev.weft.spi.Plugin}
     */
    static Path build(Path jar, Map<String, String> sources, String provider, String version) throws IOException {
        return build(jar, sources, "dev.weft.spi.Plugin", provider, version);
    }

    /** A DAG bundle jar: {@code provider} is listed in {@code META-INF/services/dev.weft.spi.DagProvider}. */
    static Path buildBundle(Path jar, Map<String, String> sources, String provider) throws IOException {
        return build(jar, sources, "dev.weft.spi.DagProvider", provider, "1");
    }

    private static Path build(Path jar, Map<String, String> sources, String service, String provider, String version)
            throws IOException {
        Path work = Files.createTempDirectory("it-plugin-");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = work.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            files.add(Files.writeString(file, e.getValue()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath",
                    System.getProperty("java.class.path"), "--release", "21", "-proc:none", "-nowarn");
            if (!javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call()) {
                throw new IllegalStateException("the test plugin does not compile: " + diagnostics.getDiagnostics());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + service));
            jarOut.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return jar;
    }
}
