package dev.weft.engine.store;

import dev.weft.spi.dag.DagSpec;

import java.time.Instant;
import java.util.List;

/**
 * A registered DAG: its current spec, the bundle versions its callables resolve through (empty: the class path) and
 * what the scheduler keeps about it.
 */
public record DagRecord(String dagId, DagSpec spec, String specHash, boolean paused, boolean active, String fileloc,
                        Instant lastParsedTime, Instant nextDagrun, Instant nextDagrunDataIntervalStart,
                        Instant nextDagrunDataIntervalEnd, Instant nextDagrunCreateAfter, List<BundleRef> bundles) {
}
