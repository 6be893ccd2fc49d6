package dev.weft.engine.plugin;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Isolates one installed plugin: its parent is the platform class loader, so it sees the JDK and its own jars, and
 * only the SPI and the logging API come from Weft's own loader. A plugin can bring any library version it likes.
 */
final class PluginClassLoader extends URLClassLoader {
    private static final String[] SHARED = {"dev.weft.spi.", "org.slf4j."};
    private final ClassLoader weft;

    static {
        // Tries run on virtual threads: lock per class name, not on the loader.
        ClassLoader.registerAsParallelCapable();
    }

    PluginClassLoader(String name, URL[] jars, ClassLoader weft) {
        super(name, jars, ClassLoader.getPlatformClassLoader());
        this.weft = weft;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        for (String prefix : SHARED) {
            if (name.startsWith(prefix)) {
                return weft.loadClass(name);
            }
        }
        return super.loadClass(name, resolve);
    }
}
