package dev.weft.engine.plugin;

import dev.weft.spi.OperatorFactory;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskTypeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The operator and sensor types Weft knows, loaded with {@link ServiceLoader}: the built-ins from Weft's own class
 * path, and each installed plugin folder ({@code plugins/<name>/*.jar}) in its own {@link PluginClassLoader}. A plugin
 * that fails is recorded with its source and reason; everything else loads.
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final Map<String, TaskType> types = new LinkedHashMap<>();
    private final List<LoadedPlugin> plugins = new ArrayList<>();
    private final List<PluginFailure> failures = new ArrayList<>();

    private PluginRegistry() {
    }

    /** Loads the plugins on {@code classPath}, then those installed under {@code pluginsDirectory} (may be null). */
    public static PluginRegistry load(ClassLoader classPath, Path pluginsDirectory) {
        PluginRegistry registry = new PluginRegistry();
        registry.loadFrom(classPath, "classpath");
        if (pluginsDirectory != null && Files.isDirectory(pluginsDirectory)) {
            try (Stream<Path> folders = Files.list(pluginsDirectory)) {
                folders.filter(Files::isDirectory).sorted().forEach(registry::loadFolder);
            } catch (IOException e) {
                registry.fail("*", pluginsDirectory.toString(), "cannot list plugins: " + e.getMessage());
            }
        }
        return registry;
    }

    private void loadFolder(Path folder) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            fail(folder.getFileName().toString(), folder.toString(), "cannot read the folder: " + e.getMessage());
            return;
        }
        String name = folder.getFileName().toString();
        if (jars.isEmpty()) {
            fail(name, folder.toString(), "no jar in the plugin folder");
            return;
        }
        ClassLoader loader = new PluginClassLoader("weft-plugin-" + name, jars.toArray(URL[]::new),
                PluginRegistry.class.getClassLoader());
        loadFrom(loader, folder.toString());
    }

    private void loadFrom(ClassLoader loader, String source) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Iterator<Plugin> it = ServiceLoader.load(Plugin.class, loader).iterator();
            boolean any = false;
            while (true) {
                Plugin plugin;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    plugin = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    fail("?", source, describe(e));
                    continue;
                }
                any = true;
                register(plugin, source, loader);
            }
            if (!any && !"classpath".equals(source)) {
                fail("?", source, "no plugin provider: add META-INF/services/" + Plugin.class.getName());
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void register(Plugin plugin, String source, ClassLoader loader) {
        String name = "?";
        try {
            name = plugin.name();
            String version = plugin.version();
            List<TaskTypeFactory<?>> factories = new ArrayList<>();
            List<OperatorFactory<?>> operators = plugin.operators();
            List<SensorFactory<?>> sensors = plugin.sensors();
            factories.addAll(operators);
            factories.addAll(sensors);
            for (TaskTypeFactory<?> f : factories) {
                TaskType existing = types.get(f.typeId());
                if (existing != null) {
                    fail(name, source, "type id '" + f.typeId() + "' is already provided by plugin '"
                            + existing.pluginName() + "' (" + existing.source() + ")");
                    return;
                }
            }
            for (TaskTypeFactory<?> f : factories) {
                types.put(f.typeId(), new TaskType(f, name, version, source, loader));
            }
            plugins.add(new LoadedPlugin(name, version, source,
                    operators.stream().map(TaskTypeFactory::typeId).toList(),
                    sensors.stream().map(TaskTypeFactory::typeId).toList()));
            LOG.info("Loaded plugin {} {} from {}: {} types", name, version, source, factories.size());
        } catch (RuntimeException | LinkageError e) {
            fail(name, source, describe(e));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? what : what + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private void fail(String plugin, String source, String reason) {
        failures.add(new PluginFailure(plugin, source, reason));
        LOG.error("Plugin {} from {} failed to load: {}", plugin, source, reason);
    }

    public Optional<TaskType> type(String typeId) {
        return Optional.ofNullable(types.get(typeId));
    }

    public Collection<TaskType> types() {
        return types.values();
    }

    public List<LoadedPlugin> plugins() {
        return List.copyOf(plugins);
    }

    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }
}
