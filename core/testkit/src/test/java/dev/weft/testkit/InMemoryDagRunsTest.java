package dev.weft.testkit;

import dev.weft.spi.DagRuns.DagNotFoundException;
import dev.weft.spi.DagRuns.DagRunExistsException;
import dev.weft.spi.DagRuns.RunInfo;
import dev.weft.spi.DagRuns.TaskStateInfo;
import dev.weft.spi.DagRuns.TriggerRequest;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryDagRunsTest {
    private static final Instant NOW = Instant.parse("2026-05-10T13:45:12.123456Z");
    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryDagRuns runs = new InMemoryDagRuns(clock).registerDag("dag2", null, "a", "b");

    @Test
    void triggerCreatesAQueuedManualRunWithAnAirflowRunId() {
        RunInfo run = runs.trigger(new TriggerRequest("dag2", null, null, Map.of("supermarket_id", 1)));
        assertThat(run.runId()).isEqualTo("manual__2026-05-10T13:45:12.123456+00:00");
        assertThat(run.runType()).isEqualTo(RunType.MANUAL);
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.logicalDate()).isEqualTo(NOW);
        assertThat(run.conf()).containsEntry("supermarket_id", 1);
        assertThat(runs.triggered()).containsExactly(run);
        assertThat(runs.run("dag2", run.runId())).contains(run);
    }

    @Test
    void sameRunIdOrSameLogicalDateIsRefused() {
        RunInfo first = runs.trigger(new TriggerRequest("dag2", "my_run", NOW, Map.of()));
        assertThatThrownBy(() -> runs.trigger(new TriggerRequest("dag2", "my_run", NOW.plusSeconds(1), Map.of())))
                .isInstanceOfSatisfying(DagRunExistsException.class,
                        e -> assertThat(e.existingRunId()).isEqualTo("my_run"));
        assertThatThrownBy(() -> runs.trigger(new TriggerRequest("dag2", "other", NOW, Map.of())))
                .isInstanceOfSatisfying(DagRunExistsException.class, e -> {
                    assertThat(e.existingRunId()).isEqualTo(first.runId());
                    assertThat(e.getMessage()).contains("2026-05-10T13:45:12.123456+00:00");
                });
        assertThat(runs.triggerRequests()).hasSize(3);
        assertThat(runs.triggered()).hasSize(1);
    }

    @Test
    void anUnknownDagIsNotFound() {
        assertThatThrownBy(() -> runs.trigger(new TriggerRequest("nope", null, null, Map.of())))
                .isInstanceOf(DagNotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void clearRequeuesTheRunKeepsItsConfAndForgetsTaskStates() {
        RunInfo run = runs.trigger(new TriggerRequest("dag2", null, null, Map.of("k", "v")));
        runs.setRunState("dag2", run.runId(), RunState.FAILED).setTaskState("dag2", run.runId(), "a", TaskState.FAILED);
        RunInfo cleared = runs.clear("dag2", run.runId());
        assertThat(cleared.state()).isEqualTo(RunState.QUEUED);
        assertThat(cleared.conf()).containsEntry("k", "v");
        assertThat(runs.cleared()).containsExactly(cleared);
        assertThat(runs.taskStates("dag2", List.of("a"), List.of(NOW)))
                .extracting(TaskStateInfo::state).containsExactly(TaskState.NONE);
    }

    @Test
    void taskStatesAnswerPerRunAndTask() {
        Instant d1 = Instant.parse("2026-01-01T16:00:00Z");
        Instant d2 = Instant.parse("2026-01-02T16:00:00Z");
        runs.registerDag("dag1", "0 16 * * *", "copy", "process");
        runs.addRun("dag1", d1, RunState.RUNNING);
        runs.setTaskState("dag1", d1, "process", TaskState.SUCCESS);
        assertThat(runs.runAt("dag1", d1).orElseThrow().runId()).isEqualTo("scheduled__2026-01-01T16:00:00+00:00");
        assertThat(runs.taskStates("dag1", List.of("copy", "process", "unknown"), List.of(d1, d2)))
                .containsExactly(
                        new TaskStateInfo("dag1", "scheduled__2026-01-01T16:00:00+00:00", d1, "copy", TaskState.NONE),
                        new TaskStateInfo("dag1", "scheduled__2026-01-01T16:00:00+00:00", d1, "process", TaskState.SUCCESS));
    }

    @Test
    void scheduledLogicalDatesNearAnswersFromRegisteredDates() {
        runs.registerDag("dag1", "0 16 * * *", "process");
        for (int day = 1; day <= 6; day++) {
            runs.scheduledLogicalDates("dag1", Instant.parse("2026-01-0" + day + "T16:00:00Z"));
        }
        assertThat(runs.scheduledLogicalDatesNear("dag1", Instant.parse("2026-01-04T12:00:00Z"), 2)).containsExactly(
                Instant.parse("2026-01-02T16:00:00Z"), Instant.parse("2026-01-03T16:00:00Z"),
                Instant.parse("2026-01-04T16:00:00Z"), Instant.parse("2026-01-05T16:00:00Z"));
        assertThat(runs.scheduledLogicalDatesNear("dag1", Instant.parse("2026-01-04T16:00:00Z"), 1)).containsExactly(
                Instant.parse("2026-01-03T16:00:00Z"), Instant.parse("2026-01-04T16:00:00Z"));
        assertThat(runs.scheduledLogicalDatesNear("dag2", NOW, 2)).isEmpty();
    }
}
