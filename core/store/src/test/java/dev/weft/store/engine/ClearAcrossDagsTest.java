package dev.weft.store.engine;

import dev.weft.engine.runs.EngineDagRuns;
import dev.weft.engine.runs.RecursiveClear;
import dev.weft.engine.runs.RunService;
import dev.weft.spi.DagRuns;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskKey;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recursive clear on PostgreSQL: the links recorded through a try's dagRuns() capability (what a sensor looked
 * at, the run a trigger created), the walk over them, and a triggered run that waits for its trigger.
 */
class ClearAcrossDagsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T16 = Instant.parse("2026-11-20T16:00:00Z");
    private static final Instant T18 = Instant.parse("2026-11-20T18:00:00Z");
    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = new EngineHarness(NOW);
        engine.register(chain("up", "copy", "process"), chain("down", "wait", "report"), chain("trig", "fire"),
                chain("metrics", "compute", "dashboard"));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static dev.weft.spi.dag.DagSpec chain(String dagId, String... tasks) {
        DagBuilder b = Dag.builder(dagId);
        var previous = b.task(tasks[0], OperatorRef.of("test.noop", Map.of()));
        for (int i = 1; i < tasks.length; i++) {
            var next = b.task(tasks[i], OperatorRef.of("test.noop", Map.of()));
            previous.then(next);
            previous = next;
        }
        return b.build();
    }

    private void run(String dagId, String runId, Instant logicalDate) {
        engine.runs.trigger(new RunService.Trigger(dagId, runId, logicalDate, null, Map.of(), null, null));
    }

    /** The capability a try of {@code dagId/runId/taskId} gets. */
    private EngineDagRuns dagRunsOf(String dagId, String runId, String taskId, int tryNumber) {
        return new EngineDagRuns(engine.runs, engine.db.dags(), engine.db.runs(), engine.db.taskInstances(),
                engine.catalog, new TaskKey(dagId, runId, taskId, tryNumber));
    }

    private RecursiveClear.Plan clear(String dagId, String runId, String taskId, boolean dryRun) {
        return engine.runs.clearRecursively(new RunService.ClearRequest(dagId, List.of(taskId), null, null, runId,
                false, false, false, false, false, false, true, dryRun), RecursiveClear.DEFAULT_DEPTH);
    }

    private static List<String> names(RecursiveClear.Plan plan) {
        return plan.taskInstances().stream().map(ti -> ti.dagId() + "/" + ti.runId() + "/" + ti.taskId()).toList();
    }

    @Test
    void whatASensorLookedAtIsRecordedAndReachedByAClearOfThatTaskAtThatDate() {
        run("up", "r16", T16);
        run("up", "r16b", T16.plusSeconds(86_400));
        run("down", "r18", T18);
        engine.settle();
        // The sensor of down/r18 looks at up's process at 16:00, twice (a second poke records nothing new), and
        // another task at the whole run of up the next day.
        EngineDagRuns sensor = dagRunsOf("down", "r18", "wait", 1);
        sensor.taskStates("up", List.of("process"), List.of(T16));
        sensor.taskStates("up", List.of("process"), List.of(T16));
        dagRunsOf("down", "r18", "report", 1).runAt("up", T16.plusSeconds(86_400));

        RecursiveClear.Plan dry = clear("up", "r16", "process", true);
        assertThat(names(dry)).containsExactly("up/r16/process", "down/r18/wait", "down/r18/report");
        assertThat(engine.states("down", "r18")).containsEntry("wait", TaskState.SUCCESS);
        assertThat(names(clear("up", "r16", "copy", true))).as("copy was not looked at").containsExactly("up/r16/copy");
        assertThat(names(clear("up", "r16b", "copy", true))).as("a whole-run lookup is reached by every task")
                .containsExactly("up/r16b/copy", "down/r18/report");

        clear("up", "r16", "process", false);
        assertThat(engine.runsOf("down").get(0).state()).as("the reached run is queued again").isEqualTo(RunState.QUEUED);
        engine.settle();
        for (String[] ti : List.of(new String[]{"up", "r16", "process"}, new String[]{"down", "r18", "wait"},
                new String[]{"down", "r18", "report"})) {
            assertThat(engine.ti(ti[0], ti[1], ti[2]).tryNumber()).as(String.join("/", ti)).isEqualTo(2);
        }
        assertThat(engine.ti("up", "r16", "copy").tryNumber()).isEqualTo(1);
    }

    @Test
    void aTriggeredRunIsClearedAndWaitsForItsTriggerWhichQueuesItInsteadOfANewOne() {
        run("trig", "r1", T16);
        engine.settle();
        DagRuns.RunInfo first = dagRunsOf("trig", "r1", "fire", 1)
                .trigger(new DagRuns.TriggerRequest("metrics", "m1", null, Map.of("supermarket_id", 1)));
        engine.settle();
        assertThat(engine.states("metrics", "m1")).containsValues(TaskState.SUCCESS);

        RecursiveClear.Plan plan = clear("trig", "r1", "fire", false);
        assertThat(names(plan)).containsExactly("trig/r1/fire", "metrics/m1/compute", "metrics/m1/dashboard");
        // fire runs again (the test operator triggers nothing); the triggered run does not start before its trigger.
        engine.settle();
        assertThat(engine.ti("trig", "r1", "fire").tryNumber()).isEqualTo(2);
        assertThat(engine.db.runs().find("metrics", "m1").orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        assertThat(engine.states("metrics", "m1")).containsOnly(Map.entry("compute", TaskState.NONE),
                Map.entry("dashboard", TaskState.NONE));

        // The trigger's second try asks for a new run, with another run id: it gets the old one, queued.
        DagRuns.RunInfo again = dagRunsOf("trig", "r1", "fire", 2)
                .trigger(new DagRuns.TriggerRequest("metrics", "m2", null, Map.of()));
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(again.conf()).as("its conf is kept").isEqualTo(Map.of("supermarket_id", 1L));
        engine.settle();
        assertThat(engine.runsOf("metrics")).hasSize(1);
        assertThat(engine.ti("metrics", "m1", "compute").tryNumber()).isEqualTo(2);
        assertThat(engine.ti("metrics", "m1", "dashboard").tryNumber()).isEqualTo(2);
        // Released once: a third trigger is an ordinary one again.
        assertThat(dagRunsOf("trig", "r1", "fire", 3)
                .trigger(new DagRuns.TriggerRequest("metrics", "m3", T18, Map.of())).runId()).isEqualTo("m3");
    }
}
