package dev.weft.engine.plugin;

import dev.weft.spi.NotifierFactory;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskTypeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator and sensor types Weft knows, loaded with {@link ServiceLoader}: the built-ins from Weft's own class
 * path, and each installed plugin folder ({@code plugins/<name>/*.jar}) in its own {@link PluginClassLoader}.
 *
 * <p>A plugin that fails is recorded in {@link #failures()} with its name (the folder's name when the plugin never
 * got as far as naming itself), the jar it came from (the folder when no single jar is to blame) and a reason, and
 * is logged; everything else loads. Failures are: a provider class that is missing or cannot be linked (a class it
 * needs is not in its folder), a constructor or static initializer that throws, a folder with no jar or no
 * {@code META-INF/services/dev.weft.spi.Plugin}, a plugin whose {@code name()}, {@code operators()} or
 * {@code sensors()} throws or answers nonsense, and a type id or plugin name that another plugin already uses (the
 * message names both jars; the plugin loaded first keeps it, class-path plugins first, then folders by name).
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    static final String SERVICES = "META-INF/services/" + Plugin.class.getName();
    /** Consecutive provider errors after which a folder is given up (a guard: ServiceLoader normally moves on). */
    private static final int MAX_PROVIDER_ERRORS = 100;

    private final Map<String, TaskType> types = new LinkedHashMap<>();
    /** Notifier types, apart from the task types: a notifier is no task's type. Their ids are unique among both. */
    private final Map<String, TaskType> notifiers = new LinkedHashMap<>();
    private final Map<String, LoadedPlugin> byName = new HashMap<>();
    private final List<LoadedPlugin> plugins = new ArrayList<>();
    private final List<PluginFailure> failures = new ArrayList<>();

    private PluginRegistry() {
    }

    /** Loads the plugins on {@code classPath}, then those installed under {@code pluginsDirectory} (may be null). */
    public static PluginRegistry load(ClassLoader classPath, Path pluginsDirectory) {
        PluginRegistry registry = new PluginRegistry();
        registry.loadFrom(classPath, null, "classpath");
        if (pluginsDirectory != null && Files.isDirectory(pluginsDirectory)) {
            try (Stream<Path> folders = Files.list(pluginsDirectory)) {
                folders.filter(Files::isDirectory).sorted().forEach(registry::loadFolder);
            } catch (IOException e) {
                registry.fail("*", pluginsDirectory.toString(), "cannot list the plugins folder: " + e);
            }
        }
        registry.logSummary(pluginsDirectory);
        return registry;
    }

    private void loadFolder(Path folder) {
        String name = folder.getFileName().toString();
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar") && Files.isRegularFile(f)).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            fail(name, folder.toString(), "cannot read the plugin folder: " + e);
            return;
        }
        if (jars.isEmpty()) {
            fail(name, folder.toString(), "no jar in the plugin folder");
            return;
        }
        PluginClassLoader loader = new PluginClassLoader("weft-plugin-" + name, jars.toArray(URL[]::new),
                PluginRegistry.class.getClassLoader());
        int loaded = loadFrom(loader, name, folder.toString());
        if (loaded == 0) {
            closeQuietly(loader);
        }
    }

    /**
     * Loads every provider {@code loader} finds, with it as the context class loader.
     *
     * @param folderName the plugin folder's name, or null for the class path
     * @return how many plugins were registered
     */
    private int loadFrom(ClassLoader loader, String folderName, String source) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        String unnamed = folderName != null ? folderName : "?";
        int found = 0;
        int registered = 0;
        try {
            Iterator<ServiceLoader.Provider<Plugin>> it = ServiceLoader.load(Plugin.class, loader).stream().iterator();
            for (int errors = 0; errors < MAX_PROVIDER_ERRORS; ) {
                ServiceLoader.Provider<Plugin> provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    // The provider class is not there or cannot be linked: only the services file points at a jar.
                    found++;
                    errors++;
                    fail(unnamed, servicesJar(loader, source), describe(e));
                    continue;
                }
                found++;
                errors = 0;
                String jar = jarOf(provider.type(), source);
                Plugin plugin;
                try {
                    plugin = provider.get();
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    fail(unnamed, jar, describe(e));
                    continue;
                }
                if (register(plugin, unnamed, jar, loader)) {
                    registered++;
                }
            }
            if (found == 0 && folderName != null) {
                fail(folderName, source, "no plugin provider in " + jarNames(loader)
                        + ": a plugin jar lists its Plugin class in " + SERVICES);
            }
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            fail(unnamed, source, describe(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return registered;
    }

    private boolean register(Plugin plugin, String unnamed, String jar, ClassLoader loader) {
        String name = unnamed;
        try {
            String declared = plugin.name();
            if (declared == null || declared.isBlank()) {
                fail(name, jar, plugin.getClass().getName() + ".name() is empty: a plugin needs a short, stable name");
                return false;
            }
            name = declared;
            LoadedPlugin sameName = byName.get(name);
            if (sameName != null) {
                fail(name, jar, "plugin name '" + name + "' is already used by the plugin from " + sameName.source()
                        + ", so " + jar + " is not loaded");
                return false;
            }
            String version = plugin.version();
            if (version == null || version.isBlank()) {
                version = "unknown";
            }
            List<OperatorFactory<?>> operators = orEmpty(plugin.operators());
            List<SensorFactory<?>> sensors = orEmpty(plugin.sensors());
            List<NotifierFactory<?>> notifierFactories = orEmpty(plugin.notifiers());
            List<TaskTypeFactory<?>> factories = new ArrayList<>(operators);
            factories.addAll(sensors);
            factories.addAll(notifierFactories);
            Map<String, TaskTypeFactory<?>> mine = new LinkedHashMap<>();
            for (TaskTypeFactory<?> f : factories) {
                String problem = problemOf(f);
                if (problem != null) {
                    fail(name, jar, problem);
                    return false;
                }
                String typeId = f.typeId();
                if (mine.put(typeId, f) != null) {
                    fail(name, jar, "type id '" + typeId + "' is declared twice by plugin '" + name + "' in " + jar);
                    return false;
                }
                TaskType existing = types.containsKey(typeId) ? types.get(typeId) : notifiers.get(typeId);
                if (existing != null) {
                    fail(name, jar, "type id '" + typeId + "' is provided by both " + existing.source() + " (plugin '"
                            + existing.pluginName() + "', loaded first) and " + jar + " (plugin '" + name
                            + "'), so " + jar + " is not loaded; remove one of them or rename the type");
                    return false;
                }
            }
            for (TaskTypeFactory<?> f : factories) {
                TaskType type = new TaskType(f, name, version, jarOf(f.getClass(), jar), loader);
                (type.isNotifier() ? notifiers : types).put(f.typeId(), type);
            }
            LoadedPlugin loaded = new LoadedPlugin(name, version, jar,
                    operators.stream().map(TaskTypeFactory::typeId).toList(),
                    sensors.stream().map(TaskTypeFactory::typeId).toList(),
                    notifierFactories.stream().map(TaskTypeFactory::typeId).toList());
            plugins.add(loaded);
            byName.put(name, loaded);
            LOG.info("Loaded plugin {} {} from {}: {}", name, version, jar,
                    factories.stream().map(TaskTypeFactory::typeId).collect(Collectors.joining(", ")));
            return true;
        } catch (RuntimeException | LinkageError e) {
            fail(name, jar, describe(e));
            return false;
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        if (list == null) {
            return List.of();
        }
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** What is wrong with a factory's declaration, or null. */
    private static String problemOf(TaskTypeFactory<?> f) {
        if (f == null) {
            return "operators(), sensors() or notifiers() holds a null factory";
        }
        String typeId = f.typeId();
        if (typeId == null || typeId.isBlank()) {
            return f.getClass().getName() + " has no type id";
        }
        if (!typeId.equals(typeId.strip())) {
            return "type id '" + typeId + "' of " + f.getClass().getName() + " has surrounding spaces";
        }
        if (f.paramsType() == null) {
            return "type '" + typeId + "' (" + f.getClass().getName() + ") has no params type";
        }
        return null;
    }

    /** A failure a human can act on: what was thrown, its root cause, and a hint for a missing class. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = e instanceof ServiceConfigurationError && e.getMessage() != null ? e.getMessage() : text(e);
        String reason = root == e ? what : what + " (caused by " + text(root) + ")";
        if (root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException) {
            reason += "; a class the plugin needs is missing: put the jar that holds it in the plugin's folder";
        }
        return reason;
    }

    private static String text(Throwable t) {
        String message = t.getMessage();
        if (t instanceof NoClassDefFoundError && message != null) {
            message = message.replace('/', '.');
        }
        return message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }

    /** The jar (or class folder) a class was loaded from, or {@code fallback}. */
    static String jarOf(Class<?> type, String fallback) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return fallback;
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return cs.getLocation().toString();
        }
    }

    /** The one jar whose services file names the plugin providers, or {@code fallback} when it is not just one. */
    private static String servicesJar(ClassLoader loader, String fallback) {
        if (!(loader instanceof PluginClassLoader plugin)) {
            return fallback;
        }
        List<String> jars = new ArrayList<>();
        for (URL url : plugin.getURLs()) {
            try (URLClassLoader one = new URLClassLoader(new URL[]{url}, null)) {
                if (one.findResource(SERVICES) != null) {
                    jars.add(Path.of(url.toURI()).toString());
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // not a readable jar: it cannot be the one
            }
        }
        return jars.size() == 1 ? jars.get(0) : fallback;
    }

    private static String jarNames(ClassLoader loader) {
        if (loader instanceof PluginClassLoader plugin) {
            return Stream.of(plugin.getURLs()).map(u -> {
                String path = u.getPath();
                return path.substring(path.lastIndexOf('/') + 1);
            }).collect(Collectors.joining(", "));
        }
        return "the class path";
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing was loaded from it; an open jar handle is all that is left
        }
    }

    private void fail(String plugin, String source, String reason) {
        failures.add(new PluginFailure(plugin, source, reason));
        LOG.error("Plugin {} from {} failed to load: {}", plugin, source, reason);
    }

    private void logSummary(Path pluginsDirectory) {
        String loaded = plugins.stream().map(p -> p.name() + " " + p.version()).collect(Collectors.joining(", "));
        if (failures.isEmpty()) {
            LOG.info("Plugins: {} loaded ({}), {} types; plugins folder {}", plugins.size(), loaded, types.size(),
                    pluginsDirectory);
        } else {
            LOG.warn("Plugins: {} loaded ({}), {} types; {} failed ({}); plugins folder {}", plugins.size(), loaded,
                    types.size(), failures.size(),
                    failures.stream().map(PluginFailure::plugin).collect(Collectors.joining(", ")), pluginsDirectory);
        }
    }

    public Optional<TaskType> type(String typeId) {
        return Optional.ofNullable(types.get(typeId));
    }

    /** The notifier type {@code typeId} (usable as a callback), if a loaded plugin provides it. */
    public Optional<TaskType> notifier(String typeId) {
        return Optional.ofNullable(notifiers.get(typeId));
    }

    public Collection<TaskType> notifiers() {
        return Collections.unmodifiableCollection(notifiers.values());
    }

    /** Whether a loaded plugin provides {@code typeId} as a sensor type. */
    public boolean isSensorType(String typeId) {
        return type(typeId).map(TaskType::isSensor).orElse(false);
    }

    public Collection<TaskType> types() {
        return Collections.unmodifiableCollection(types.values());
    }

    /** The plugins that loaded, in load order: class path first, then folders by name. */
    public List<LoadedPlugin> plugins() {
        return List.copyOf(plugins);
    }

    /** The plugins that did not load, each with its jar (or folder) and the reason. */
    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }
}
