package dev.weft.engine.dag;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * What the callables of DAG files ({@code com.acme.Checks::dataArrived}) resolve through: the bundle jars of the
 * DAGs folder as they are now, in path order, then the plugins' packages. Like a bundle, it never sees the engine.
 */
final class DagFilesClassLoader extends ClassLoader {
    private final Supplier<Collection<ClassLoader>> bundles;
    private final DagBundleClassLoader plugins;

    DagFilesClassLoader(Supplier<Collection<ClassLoader>> bundles, DagBundleClassLoader plugins) {
        super("weft-dag-files", null);
        this.bundles = bundles;
        this.plugins = plugins;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        try {
            return plugins.loadClass(name); // the JDK, the SPI and the plugins' packages
        } catch (ClassNotFoundException e) {
            for (ClassLoader bundle : bundles.get()) {
                try {
                    return bundle.loadClass(name);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // try the next bundle
                }
            }
            throw e;
        }
    }
}
