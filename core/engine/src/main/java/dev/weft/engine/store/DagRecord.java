package dev.weft.engine.store;

import dev.weft.spi.dag.DagSpec;

import java.time.Instant;

/** A registered DAG: its current spec and what the scheduler keeps about it. */
public record DagRecord(String dagId, DagSpec spec, String specHash, boolean paused, boolean active, String fileloc,
                        Instant lastParsedTime, Instant nextDagrun, Instant nextDagrunDataIntervalStart,
                        Instant nextDagrunDataIntervalEnd, Instant nextDagrunCreateAfter) {
}
