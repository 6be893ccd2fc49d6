package dev.weft.engine.plugin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Plugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.weft.engine.plugin.PluginJar.plugin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loading plugins from Weft's class path and from installed folders, with jars built at test time: what loads, what
 * fails (and how it is reported), and what a plugin's class loader lets it see.
 */
class PluginRegistryTest {
    @TempDir
    Path home;
    private Path plugins;
    private URLClassLoader classPath;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private ch.qos.logback.classic.Logger registryLogger;

    @BeforeEach
    void setUp() throws IOException {
        plugins = Files.createDirectories(home.resolve("plugins"));
        // Weft's own class path with one built-in plugin on it, as the server has the standard plugin.
        Path services = home.resolve("classpath/" + PluginRegistry.SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, BuiltinTestPlugin.class.getName() + "\n");
        classPath = new URLClassLoader(new URL[]{home.resolve("classpath").toUri().toURL()}, getClass().getClassLoader());
        registryLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PluginRegistry.class);
        logged.start();
        registryLogger.addAppender(logged);
        registryLogger.setAdditive(false); // the failures below are expected: keep them off the console
    }

    @AfterEach
    void tearDown() throws IOException {
        registryLogger.detachAppender(logged);
        registryLogger.setAdditive(true);
        classPath.close();
    }

    private PluginRegistry load() {
        return PluginRegistry.load(classPath, plugins);
    }

    private Path jar(String folder, String file) {
        return plugins.resolve(folder).resolve(file);
    }

    /** A working plugin {@code name} with the given types, in {@code plugins/<name>/<name>-1.0.jar}. */
    private Path installGood(String name, String... typeIds) {
        String pkg = "com.acme." + name.replace('-', '_');
        return PluginJar.create().source(pkg + ".ThePlugin", plugin(pkg, "ThePlugin", name, "", typeIds))
                .provider(pkg + ".ThePlugin").version("1.0").writeTo(jar(name, name + "-1.0.jar"));
    }

    private static void assertBuiltinLoaded(PluginRegistry registry) {
        assertThat(registry.type("builtin.noop")).get().extracting(TaskType::pluginName).isEqualTo("builtin");
        assertThat(registry.plugins()).extracting(LoadedPlugin::name).contains("builtin");
    }

    private List<String> errorsLogged() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void classPathAndInstalledPluginsLoadSideBySide() {
        Path hello = installGood("hello", "hello.greet", "hello.wave");

        PluginRegistry registry = load();

        assertThat(registry.failures()).isEmpty();
        assertThat(registry.plugins()).containsExactly(
                new LoadedPlugin("builtin", "9.9", PluginRegistry.jarOf(BuiltinTestPlugin.class, "?"),
                        List.of("builtin.noop"), List.of(), List.of()),
                new LoadedPlugin("hello", "1.0", hello.toString(), List.of("hello.greet", "hello.wave"), List.of(),
                        List.of()));
        TaskType greet = registry.type("hello.greet").orElseThrow();
        assertThat(greet.pluginName()).isEqualTo("hello");
        assertThat(greet.pluginVersion()).as("from the jar's Implementation-Version").isEqualTo("1.0");
        assertThat(greet.source()).isEqualTo(hello.toString());
        assertThat(greet.classLoader()).isInstanceOf(PluginClassLoader.class)
                .extracting(ClassLoader::getName).isEqualTo("weft-plugin-hello");
        assertThat(registry.type("builtin.noop").orElseThrow().classLoader()).isSameAs(classPath);
        assertThat(registry.types()).extracting(TaskType::typeId)
                .containsExactly("builtin.noop", "hello.greet", "hello.wave");
    }

    @Test
    void aConstructorThatThrowsIsReportedWithItsJarAndReasonWhileTheRestLoads() {
        Path broken = PluginJar.create()
                .source("com.acme.broken.BrokenPlugin", plugin("com.acme.broken", "BrokenPlugin", "broken", """
                        public BrokenPlugin() { throw new IllegalStateException("licence key missing"); }
                        """, "broken.op"))
                .provider("com.acme.broken.BrokenPlugin").writeTo(jar("broken", "broken-plugin-2.0.jar"));
        installGood("good", "good.op");

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).as("named after its folder: it never got to name itself").isEqualTo("broken");
            assertThat(f.source()).isEqualTo(broken.toString());
            assertThat(f.reason()).contains("Provider com.acme.broken.BrokenPlugin could not be instantiated")
                    .contains("caused by IllegalStateException: licence key missing");
        });
        assertThat(registry.type("broken.op")).isEmpty();
        assertThat(registry.type("good.op")).isPresent();
        assertBuiltinLoaded(registry);
        assertThat(errorsLogged()).singleElement().asString()
                .startsWith("Plugin broken from " + broken + " failed to load: ")
                .contains("licence key missing");
        assertThat(logged.list).anyMatch(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains("1 failed (broken)"));
    }

    @Test
    void aStaticInitializerThatThrowsIsReportedToo() {
        PluginJar.create()
                .source("com.acme.st.StaticPlugin", plugin("com.acme.st", "StaticPlugin", "static", """
                        static final String KEY = System.getProperty("no.such.property").trim();
                        """, "static.op"))
                .provider("com.acme.st.StaticPlugin").writeTo(jar("static", "static.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("static");
            assertThat(f.reason()).contains("com.acme.st.StaticPlugin").contains("NullPointerException");
        });
        assertBuiltinLoaded(registry);
    }

    @Test
    void aProviderWhoseSuperclassIsMissingNamesTheMissingClass() {
        Path jar = PluginJar.create()
                .compileOnly("com.acme.lib.BasePlugin", """
                        package com.acme.lib;
                        public abstract class BasePlugin implements dev.weft.spi.Plugin {}
                        """)
                .source("com.acme.missing.MissingBase", """
                        package com.acme.missing;
                        public class MissingBase extends com.acme.lib.BasePlugin {
                            @Override public String name() { return "missing-base"; }
                        }
                        """)
                .provider("com.acme.missing.MissingBase").writeTo(jar("missing-base", "missing-base.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("missing-base");
            assertThat(f.source()).as("the jar whose services file names the provider").isEqualTo(jar.toString());
            assertThat(f.reason()).contains("NoClassDefFoundError: com.acme.lib.BasePlugin")
                    .contains("a class the plugin needs is missing: put the jar that holds it in the plugin's folder");
        });
        assertBuiltinLoaded(registry);
    }

    @Test
    void aClassMissingWhenTheTypesAreMadeIsReportedUnderThePluginsNameAndTheLibraryJarFixesIt() {
        String lib = """
                package com.acme.client;
                public class Client { public static String hello() { return "hi"; } }
                """;
        String pluginSource = """
                package com.acme.needs;
                import dev.weft.spi.*;
                import java.util.List;
                public class NeedsLib implements Plugin {
                    @Override public String name() { return "needs-lib"; }
                    @Override public List<OperatorFactory<?>> operators() { return List.of(new ClientOperator()); }
                }
                """;
        String operator = """
                package com.acme.needs;
                import dev.weft.spi.*;
                public class ClientOperator implements OperatorFactory<ClientOperator.P> {
                    public record P() {}
                    private final String greeting = com.acme.client.Client.hello();
                    @Override public String typeId() { return "needs.client"; }
                    @Override public Class<P> paramsType() { return P.class; }
                    @Override public Operator<P> create(PluginContext c) {
                        return (p, ctx) -> OperatorResult.success(greeting);
                    }
                }
                """;
        Path jar = PluginJar.create().compileOnly("com.acme.client.Client", lib)
                .source("com.acme.needs.NeedsLib", pluginSource).source("com.acme.needs.ClientOperator", operator)
                .provider("com.acme.needs.NeedsLib").writeTo(jar("needs", "needs-lib.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).as("it named itself before failing").isEqualTo("needs-lib");
            assertThat(f.source()).isEqualTo(jar.toString());
            assertThat(f.reason()).contains("NoClassDefFoundError: com.acme.client.Client")
                    .contains("put the jar that holds it in the plugin's folder");
        });
        assertBuiltinLoaded(registry);

        // Installing the library next to the plugin is the fix the message asks for.
        PluginJar.create().source("com.acme.client.Client", lib).writeTo(jar("needs", "client-lib.jar"));
        PluginRegistry fixed = load();
        assertThat(fixed.failures()).isEmpty();
        assertThat(fixed.type("needs.client")).isPresent();
    }

    @Test
    void aFolderWithoutAProviderOrWithoutAJarIsReported() throws IOException {
        PluginJar.create().source("com.acme.lonely.Util", "package com.acme.lonely; public class Util {}")
                .writeTo(jar("no-provider", "util.jar"));
        Files.createDirectories(plugins.resolve("empty"));
        Files.writeString(plugins.resolve("empty/README.txt"), "not a jar");
        Files.writeString(plugins.resolve("stray-file.jar"), "files directly in plugins/ are not plugins");

        PluginRegistry registry = load();

        assertThat(registry.failures()).containsExactly(
                new PluginFailure("empty", plugins.resolve("empty").toString(), "no jar in the plugin folder"),
                new PluginFailure("no-provider", plugins.resolve("no-provider").toString(),
                        "no plugin provider in util.jar: a plugin jar lists its Plugin class in "
                                + "META-INF/services/dev.weft.spi.Plugin"));
        assertBuiltinLoaded(registry);
    }

    @Test
    void aServicesFileNamingAClassThatIsNotThereIsReported() {
        Path jar = PluginJar.create().provider("com.acme.typo.Plugn").writeTo(jar("typo", "typo.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("typo");
            assertThat(f.source()).isEqualTo(jar.toString());
            assertThat(f.reason()).contains("Provider com.acme.typo.Plugn not found");
        });
    }

    @Test
    void oneBadProviderDoesNotHideTheNextInTheSameJar() {
        PluginJar.create()
                .source("com.acme.two.Bad", plugin("com.acme.two", "Bad", "bad", """
                        public Bad() { throw new UnsupportedOperationException("not today"); }
                        """, "bad.op"))
                .source("com.acme.two.Good", plugin("com.acme.two", "Good", "two", "", "two.op"))
                .provider("com.acme.two.Bad").provider("com.acme.two.Good").writeTo(jar("two", "two.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().extracting(PluginFailure::reason).asString()
                .contains("not today");
        assertThat(registry.type("two.op")).isPresent();
    }

    @Test
    void aDuplicateTypeIdFailsNamingBothJars() {
        Path first = installGood("alpha", "shared.op", "alpha.only");
        Path second = installGood("beta", "beta.only", "shared.op");

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("beta");
            assertThat(f.source()).isEqualTo(second.toString());
            assertThat(f.reason()).isEqualTo("type id 'shared.op' is provided by both " + first
                    + " (plugin 'alpha', loaded first) and " + second + " (plugin 'beta'), so " + second
                    + " is not loaded; remove one of them or rename the type");
        });
        assertThat(registry.type("shared.op").orElseThrow().pluginName()).isEqualTo("alpha");
        assertThat(registry.type("beta.only")).as("a plugin loads whole or not at all").isEmpty();
        assertThat(errorsLogged()).singleElement().asString().contains(first.toString()).contains(second.toString());
    }

    @Test
    void aTypeIdOfABuiltinCannotBeTakenOver() {
        Path jar = installGood("imposter", "builtin.noop");

        PluginRegistry registry = load();

        assertThat(registry.failures()).singleElement().extracting(PluginFailure::reason).asString()
                .contains(PluginRegistry.jarOf(BuiltinTestPlugin.class, "?")).contains(jar.toString())
                .contains("plugin 'builtin', loaded first");
        assertThat(registry.type("builtin.noop").orElseThrow().pluginName()).isEqualTo("builtin");
    }

    @Test
    void aTypeIdDeclaredTwiceByOnePluginOrANameAlreadyTakenFails() {
        Path twice = installGood("twice", "twice.op", "twice.op");
        PluginJar.create().source("com.acme.again.Again", plugin("com.acme.again", "Again", "builtin", "", "again.op"))
                .provider("com.acme.again.Again").writeTo(jar("again", "again.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).extracting(PluginFailure::plugin, PluginFailure::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("builtin", "plugin name 'builtin' is already used by the plugin from "
                        + PluginRegistry.jarOf(BuiltinTestPlugin.class, "?") + ", so " + jar("again", "again.jar")
                        + " is not loaded"),
                org.assertj.core.groups.Tuple.tuple("twice", "type id 'twice.op' is declared twice by plugin 'twice' in "
                        + twice));
    }

    @Test
    void aPluginThatAnswersNonsenseOrThrowsWhileListingItsTypesFails() {
        PluginJar.create().source("com.acme.nameless.Nameless", """
                package com.acme.nameless;
                public class Nameless implements dev.weft.spi.Plugin {
                    @Override public String name() { return " "; }
                }
                """).provider("com.acme.nameless.Nameless").writeTo(jar("nameless", "nameless.jar"));
        PluginJar.create().source("com.acme.throwing.Throwing", """
                package com.acme.throwing;
                import dev.weft.spi.*;
                import java.util.List;
                public class Throwing implements Plugin {
                    @Override public String name() { return "throwing"; }
                    @Override public List<SensorFactory<?>> sensors() { throw new IllegalArgumentException("bad config"); }
                }
                """).provider("com.acme.throwing.Throwing").writeTo(jar("throwing", "throwing.jar"));
        PluginJar.create().source("com.acme.noid.NoId", plugin("com.acme.noid", "NoId", "noid", "", ""))
                .provider("com.acme.noid.NoId").writeTo(jar("noid", "noid.jar"));

        PluginRegistry registry = load();

        assertThat(registry.failures()).extracting(PluginFailure::plugin, PluginFailure::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nameless",
                        "com.acme.nameless.Nameless.name() is empty: a plugin needs a short, stable name"),
                org.assertj.core.groups.Tuple.tuple("noid",
                        "com.acme.noid.NoId$1 has no type id"),
                org.assertj.core.groups.Tuple.tuple("throwing", "IllegalArgumentException: bad config"));
        assertBuiltinLoaded(registry);
    }

    @Test
    void withoutAnImplementationVersionTheVersionIsUnknownAndAMissingPluginsFolderIsFine() {
        String pkg = "com.acme.plain";
        PluginJar.create().source(pkg + ".Plain", plugin(pkg, "Plain", "plain", "", "plain.op"))
                .provider(pkg + ".Plain").writeTo(jar("plain", "plain.jar"));

        assertThat(load().plugins()).filteredOn(p -> p.name().equals("plain")).singleElement()
                .extracting(LoadedPlugin::version).isEqualTo("unknown");

        PluginRegistry none = PluginRegistry.load(classPath, home.resolve("no-such-folder"));
        assertThat(none.failures()).isEmpty();
        assertThat(none.plugins()).extracting(LoadedPlugin::name).containsExactly("builtin");
    }

    /**
     * The plugin brings its own copy of a class that is also on Weft's class path (a Jackson class): it gets its own.
     * Weft's other libraries are invisible to it; the SPI and slf4j are Weft's, shared. Its constructor and type
     * listing run with its class loader as the context class loader.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPluginSeesItsOwnLibrariesAndOnlyTheSpiAndSlf4jOfWefts() throws Exception {
        // Weft's copy of the class exists here, with a different shape.
        assertThat(Class.forName("com.fasterxml.jackson.core.json.PackageVersion").getField("VERSION")).isNotNull();
        PluginJar.create()
                .source("com.fasterxml.jackson.core.json.PackageVersion", """
                        package com.fasterxml.jackson.core.json;
                        public final class PackageVersion {
                            public static String whose() { return "the plugin's own copy"; }
                        }
                        """)
                .source("com.acme.probe.Probe", """
                        package com.acme.probe;
                        import dev.weft.spi.*;
                        import java.util.*;
                        public class Probe implements Plugin {
                            public record NoParams() {}
                            private final ClassLoader constructedWith = Thread.currentThread().getContextClassLoader();
                            private ClassLoader listedWith;
                            @Override public String name() { return "probe"; }
                            @Override public List<OperatorFactory<?>> operators() {
                                listedWith = Thread.currentThread().getContextClassLoader();
                                return List.of(new OperatorFactory<NoParams>() {
                                    @Override public String typeId() { return "probe.inspect"; }
                                    @Override public Class<NoParams> paramsType() { return NoParams.class; }
                                    @Override public Operator<NoParams> create(PluginContext c) {
                                        return (p, ctx) -> {
                                            Map<String, Object> out = new HashMap<>();
                                            out.put("jackson", com.fasterxml.jackson.core.json.PackageVersion.whose());
                                            out.put("databind", visible("com.fasterxml.jackson.databind.ObjectMapper"));
                                            out.put("jinjava", visible("com.hubspot.jinjava.Jinjava"));
                                            out.put("http", visible("java.net.http.HttpClient"));
                                            out.put("slf4j", org.slf4j.LoggerFactory.class);
                                            out.put("spi", Plugin.class);
                                            out.put("constructedWith", constructedWith);
                                            out.put("listedWith", listedWith);
                                            return OperatorResult.success(out);
                                        };
                                    }
                                });
                            }
                            static boolean visible(String name) {
                                try {
                                    Class.forName(name, false, Probe.class.getClassLoader());
                                    return true;
                                } catch (ClassNotFoundException e) {
                                    return false;
                                }
                            }
                        }
                        """)
                .provider("com.acme.probe.Probe").writeTo(jar("probe", "probe.jar"));

        PluginRegistry registry = load();
        assertThat(registry.failures()).isEmpty();
        TaskType type = registry.type("probe.inspect").orElseThrow();
        OperatorFactory<Object> factory = (OperatorFactory<Object>) type.operatorFactory();
        Object params = factory.paramsType().getConstructor().newInstance();
        OperatorResult result = factory.create(null).execute(params, null);
        Map<String, Object> out = (Map<String, Object>) ((OperatorResult.Success) result).output();

        assertThat(out.get("jackson")).isEqualTo("the plugin's own copy");
        assertThat(out.get("databind")).as("Weft's libraries are not the plugin's").isEqualTo(false);
        assertThat(out.get("jinjava")).isEqualTo(false);
        assertThat(out.get("http")).as("the JDK's platform modules are there").isEqualTo(true);
        assertThat(out.get("slf4j")).isSameAs(LoggerFactory.class);
        assertThat(out.get("spi")).isSameAs(Plugin.class);
        assertThat(out.get("constructedWith")).isSameAs(type.classLoader());
        assertThat(out.get("listedWith")).isSameAs(type.classLoader());
        assertThat(Thread.currentThread().getContextClassLoader()).as("restored after loading")
                .isNotSameAs(type.classLoader());
    }
}
