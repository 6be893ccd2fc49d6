package dev.weft.engine.store;

import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;

import java.time.Instant;
import java.util.Map;

/**
 * A DAG run as stored. {@code id} is the internal key; {@code runId} the user-facing one. {@code awaitsTrigger}: a
 * recursive clear cleared it and it waits, finished, for what started it (see {@link RunStore#awaitTrigger}).
 */
public record RunRecord(long id, String dagId, String runId, RunType runType, Instant logicalDate,
                        Instant dataIntervalStart, Instant dataIntervalEnd, RunState state, boolean externalTrigger,
                        Map<String, Object> conf, String note, Instant queuedAt, Instant startDate, Instant endDate,
                        Instant lastSchedulingDecision, int clearNumber, String triggeredByDagId,
                        String triggeredByRunId, String triggeredByTaskId, Instant updatedAt, boolean awaitsTrigger) {

    public DataInterval dataInterval() {
        return new DataInterval(dataIntervalStart, dataIntervalEnd);
    }
}
