package dev.weft.engine.scheduler;

import dev.weft.spi.RunState;

import dev.weft.spi.TaskState;

import java.util.List;
import java.util.Map;

/**
 * What the scheduler does to one run after looking at its task instances. {@code removed} holds, by their current
 * state, the waiting task instances whose task is no longer in the DAG: they become {@code removed}.
 */
record RunDecision(List<Long> schedule, List<Long> skip, List<Long> upstreamFailed, RunState finalState,
                   Map<TaskState, List<Long>> removed) {
    RunDecision(List<Long> schedule, List<Long> skip, List<Long> upstreamFailed, RunState finalState) {
        this(schedule, skip, upstreamFailed, finalState, Map.of());
    }

    boolean isEmpty() {
        return schedule.isEmpty() && skip.isEmpty() && upstreamFailed.isEmpty() && finalState == null
                && removed.isEmpty();
    }
}
