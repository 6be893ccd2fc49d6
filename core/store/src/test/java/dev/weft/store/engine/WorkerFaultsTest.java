package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A try's outcome is written whatever happens to the worker short of its death: what task code throws. */
class WorkerFaultsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private RunRecord dagOf(String type, int retries) {
        DagBuilder b = Dag.builder("faults");
        b.task("t", OperatorRef.of(type, Map.of())).retries(retries).retryDelay(Duration.ofMinutes(1));
        engine.register(b.build());
        return engine.runs.trigger(new RunService.Trigger("faults", null, null, null, Map.of(), null, null));
    }

    private TaskInstanceRecord ti(RunRecord run) {
        return engine.ti("faults", run.runId(), "t");
    }

    @Test
    void anErrorThrownByTaskCodeIsRetriedThenFailsWithTheErrorInTheLog() {
        engine = new EngineHarness(NOW);
        RunRecord run = dagOf("test.huge_allocation", 1);
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("OutOfMemoryError"));

        engine.clock.advance(Duration.ofMinutes(1));
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(ti(run).tryNumber()).isEqualTo(2);
        assertThat(engine.log("faults", run.runId(), "t", 2)).anyMatch(l -> l.contains("OutOfMemoryError"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aFailureThatEvenFailsToBeLoggedStillEndsTheTry() {
        engine = new EngineHarness(NOW);
        RunRecord run = dagOf("test.unprintable_failure", 0);
        engine.settle();
        assertThat(ti(run).state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("faults", run.runId(), "t", 1)).anyMatch(l -> l.contains("could not be read"));
        assertThat(engine.db.runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }
}
