package dev.weft.engine.plugin;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a plugin jar at test time: compiles Java sources with the JDK's compiler against the test class path (so
 * they see the SPI and slf4j), and packages the classes, a services file and a manifest with {@link java.util.jar}.
 * Classes marked {@link #compileOnly} are compiled against but left out of the jar: a "missing class".
 */
final class PluginJar {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Set<String> compileOnly = new LinkedHashSet<>();
    private final List<String> providers = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private String implementationVersion;

    static PluginJar create() {
        return new PluginJar();
    }

    /** Adds a class by its fully qualified name and its source. */
    PluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Adds a class that plugin code compiles against but that is not packaged into the jar. */
    PluginJar compileOnly(String className, String code) {
        sources.put(className, code);
        compileOnly.add(className);
        return this;
    }

    /** Lists a class in {@code META-INF/services/dev.weft.spi.Plugin}. */
    PluginJar provider(String className) {
        providers.add(className);
        return this;
    }

    PluginJar resource(String path, String text) {
        resources.put(path, text);
        return this;
    }

    /** Sets {@code Implementation-Version} in the manifest, which {@code Plugin.version()} reads by default. */
    PluginJar version(String version) {
        this.implementationVersion = version;
        return this;
    }

    /** Compiles and writes the jar to {@code jar} (its folder is created), and returns it. */
    Path writeTo(Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            Path work = Files.createTempDirectory("plugin-jar-");
            Path src = Files.createDirectories(work.resolve("src"));
            Path classes = Files.createDirectories(work.resolve("classes"));
            compile(src, classes);
            writeJar(jar, classes);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path src, Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            files.add(Files.writeString(file, e.getValue()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("tests that build plugin jars need a JDK (javax.tools), not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                    "--release", "21", "-proc:none", "-nowarn");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new IllegalStateException("the test plugin does not compile:\n" + diagnostics.getDiagnostics()
                        .stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                        .collect(Collectors.joining("\n")));
            }
        }
    }

    private void writeJar(Path jar, Path classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (implementationVersion != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
        }
        Set<String> skipped = compileOnly.stream().map(c -> c.replace('.', '/')).collect(Collectors.toSet());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                String outer = name.replaceAll("(\\$.*)?\\.class$", "");
                if (skipped.contains(outer)) {
                    continue;
                }
                jarOut.putNextEntry(new JarEntry(name));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
            if (!providers.isEmpty()) {
                jarOut.putNextEntry(new JarEntry(PluginRegistry.SERVICES));
                jarOut.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                jarOut.putNextEntry(new JarEntry(r.getKey()));
                jarOut.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
    }

    /**
     * The source of a plugin class {@code pkg.className} named {@code name} with one operator per type id; each
     * operator returns its type id. {@code extra} is pasted into the class body (fields, a constructor).
     */
    static String plugin(String pkg, String className, String name, String extra, String... typeIds) {
        String operators = Stream.of(typeIds).map(id -> "op(\"" + id + "\")").collect(Collectors.joining(", "));
        return """
                package %s;

                import dev.weft.spi.*;
                import java.util.List;

                public class %s implements Plugin {
                    public record NoParams() {}
                %s
                    @Override public String name() { return "%s"; }

                    @Override public List<OperatorFactory<?>> operators() { return List.of(%s); }

                    static OperatorFactory<NoParams> op(String id) {
                        return new OperatorFactory<>() {
                            @Override public String typeId() { return id; }
                            @Override public Class<NoParams> paramsType() { return NoParams.class; }
                            @Override public Operator<NoParams> create(PluginContext c) {
                                return (p, ctx) -> OperatorResult.success(id);
                            }
                        };
                    }
                }
                """.formatted(pkg, className, extra, name, operators);
    }
}
