package dev.weft.examples;

import dev.weft.spi.DagProvider;
import dev.weft.spi.dag.DagSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The example bundle's entry point, listed in {@code META-INF/services/dev.weft.spi.DagProvider}. The data root is
 * read from the environment once, when the provider is created ({@link DataRoot}).
 */
public final class ExampleDagProvider implements DagProvider {
    private final Path dataRoot = DataRoot.fromEnvironment();

    @Override
    public List<DagSpec> dags() {
        List<DagSpec> dags = new ArrayList<>(SupermarketDags.all(dataRoot));
        dags.add(UmbrellaDags.branching());
        return dags;
    }

    /** Where the sensors of these DAGs look for the supermarkets' files. */
    public Path dataRoot() {
        return dataRoot;
    }
}
