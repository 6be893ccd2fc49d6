package dev.weft.spi;

import dev.weft.spi.dag.DagSpec;

import java.util.List;

/**
 * Supplies DAGs defined in Java. A DAG bundle jar lists its providers in
 * {@code META-INF/services/dev.weft.spi.DagProvider}; each is called when the bundle is (re)loaded.
 * If it throws, the bundle's DAGs are reported as an import error and the other bundles load.
 */
public interface DagProvider {
    List<DagSpec> dags();
}
