package dev.weft.engine.dag;

import dev.weft.engine.store.BundleRef;

import java.util.List;

/**
 * The class loader a task's callables resolve through, in any process: the one that defined the DAG when this
 * process's DAG processor did, else the bundle versions the DAG's record names (fetched and cached by
 * {@link DagBundles}), else Weft's own (code on the class path, such as the bundled examples).
 */
public final class DagClassLoaders {
    private final DagRegistry registry;
    private final DagCatalog catalog;
    private final DagBundles bundles;

    public DagClassLoaders(DagRegistry registry, DagCatalog catalog, DagBundles bundles) {
        this.registry = registry;
        this.catalog = catalog;
        this.bundles = bundles;
    }

    /** @throws BundleUnavailableException when the DAG's bundle cannot be fetched or loaded */
    public ClassLoader of(String dagId) {
        ClassLoader here = registry.definedHere(dagId);
        if (here != null) {
            return here;
        }
        List<BundleRef> refs = catalog.get(dagId).map(CompiledDag::bundles).orElse(List.of());
        return refs.isEmpty() ? DagRegistry.class.getClassLoader() : bundles.loader(refs);
    }
}
