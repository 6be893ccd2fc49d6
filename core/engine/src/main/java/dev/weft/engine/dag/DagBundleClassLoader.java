package dev.weft.engine.dag;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

/**
 * Isolates one DAG bundle jar. Its parent is the platform class loader, so it sees the JDK and its own jar; from
 * Weft it sees only the SPI ({@code dev.weft.spi.}) and the logging API, and from each installed plugin the
 * package of its factories (its DSL and params types, e.g. {@code dev.weft.plugins.standard.Standard}) through the
 * plugin's own class loader. Never the engine, the store or the server.
 */
final class DagBundleClassLoader extends URLClassLoader {
    private static final List<String> SHARED = List.of("dev.weft.spi.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader weft;
    private final Map<String, ClassLoader> pluginPackages;

    /**
     * @param pluginPackages package prefixes ({@code "dev.weft.plugins.standard."}) with the loader of the plugin
     *                       that owns them
     */
    DagBundleClassLoader(String name, URL[] jars, ClassLoader weft, Map<String, ClassLoader> pluginPackages) {
        super(name, jars, ClassLoader.getPlatformClassLoader());
        this.weft = weft;
        this.pluginPackages = Map.copyOf(pluginPackages);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        for (String prefix : SHARED) {
            if (name.startsWith(prefix)) {
                return weft.loadClass(name);
            }
        }
        for (Map.Entry<String, ClassLoader> plugin : pluginPackages.entrySet()) {
            if (name.startsWith(plugin.getKey())) {
                return plugin.getValue().loadClass(name);
            }
        }
        return super.loadClass(name, resolve);
    }
}
