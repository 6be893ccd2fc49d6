package dev.weft.engine.scheduler;

import dev.weft.spi.RunState;

import java.util.List;

/** What the scheduler does to one run after looking at its task instances. */
record RunDecision(List<Long> schedule, List<Long> skip, List<Long> upstreamFailed, RunState finalState) {
    boolean isEmpty() {
        return schedule.isEmpty() && skip.isEmpty() && upstreamFailed.isEmpty() && finalState == null;
    }
}
