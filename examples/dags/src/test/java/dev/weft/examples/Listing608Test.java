package dev.weft.examples;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.store.engine.EngineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing 6.8: a run triggered with a conf; both tasks print it (the user's print_conf). */
class Listing608Test {
    private EngineHarness engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theConfOfATriggeredRunIsInTheTaskLogs() {
        engine = new EngineHarness(Instant.parse("2026-11-24T09:30:00Z"));
        engine.register(SupermarketDags.listing608());
        engine.settle();
        assertThat(engine.runsOf("listing_6_08")).as("no schedule, no runs of its own").isEmpty();

        RunRecord run = engine.runs.trigger(new RunService.Trigger("listing_6_08", null, null, null,
                Map.of("supermarket_id", 1), null, null));
        engine.settle();

        RunRecord done = engine.runsOf("listing_6_08").get(0);
        assertThat(done.runId()).isEqualTo(run.runId()).isEqualTo("manual__2026-11-24T09:30:00+00:00");
        assertThat(done.runType()).isEqualTo(RunType.MANUAL);
        assertThat(done.externalTrigger()).isTrue();
        assertThat(done.state()).isEqualTo(RunState.SUCCESS);
        assertThat(engine.states("listing_6_08", run.runId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "copy_to_raw", TaskState.SUCCESS, "process", TaskState.SUCCESS));
        for (String task : new String[] {"copy_to_raw", "process"}) {
            assertThat(engine.log("listing_6_08", run.runId(), task, 1)).as(task)
                    .anyMatch(l -> l.contains("dag_run.conf: {supermarket_id=1}"));
        }
    }
}
