package dev.weft.engine.store;

import java.time.Instant;
import java.util.Optional;

/** DAG bundle jars by version, so that a worker on any machine can load the code of the DAGs it runs. */
public interface BundleStore {
    /** Stores a version unless it is there already; returns true when it was new. */
    boolean put(BundleRef ref, byte[] content, Instant storedAt);

    /** The bytes of a version, or empty when the store does not have it. */
    Optional<byte[]> content(BundleRef ref);

    /**
     * Deletes the versions of bundle {@code name} that no DAG references and that are not among its {@code keep}
     * most recently stored; returns how many.
     */
    int prune(String name, int keep);
}
