package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.TaskBuilder;
import dev.weft.spi.dag.TriggerRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Branching on PostgreSQL: the write-back of a branch task skips the tasks it did not follow, the scheduler
 * propagates the skips by trigger rule, a join with {@code none_failed_min_one_success} runs, and clearing the branch
 * with its downstream decides again.
 */
class BranchingTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = new EngineHarness(NOW);
        TestPlugin.FOLLOW.clear();
    }

    @AfterEach
    void stop() {
        engine.close();
        TestPlugin.FOLLOW.clear();
    }

    private static OperatorRef op(String type) {
        return OperatorRef.of(type, Map.of());
    }

    /** branch >> [path_a, path_b]; path_b >> after_b; [path_a, path_b] >> join (none_failed_min_one_success) and
     *  strict_join (all_success). */
    private void registerBranchDag() {
        DagBuilder b = Dag.builder("branching");
        TaskBuilder branch = b.task("branch", op("test.branch"));
        TaskBuilder a = b.task("path_a", op("test.noop"));
        TaskBuilder pathB = b.task("path_b", op("test.noop"));
        TaskBuilder afterB = b.task("after_b", op("test.noop"));
        TaskBuilder join = b.task("join", op("test.noop")).triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
        TaskBuilder strictJoin = b.task("strict_join", op("test.noop"));
        branch.then(a, pathB);
        pathB.then(afterB);
        join.after(a, pathB);
        strictJoin.after(a, pathB);
        engine.register(b.build());
    }

    private void trigger(String dagId, String runId) {
        engine.runs.trigger(new RunService.Trigger(dagId, runId, NOW, null, Map.of(), null, null));
    }

    @Test
    void onlyTheChosenPathAndTheJoinRun() {
        registerBranchDag();
        TestPlugin.FOLLOW.put("branch", List.of("path_a"));
        trigger("branching", "r1");
        engine.settle();

        assertThat(engine.states("branching", "r1")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "branch", TaskState.SUCCESS, "path_a", TaskState.SUCCESS, "path_b", TaskState.SKIPPED,
                "after_b", TaskState.SKIPPED, "join", TaskState.SUCCESS, "strict_join", TaskState.SKIPPED));
        assertThat(engine.runsOf("branching").get(0).state()).isEqualTo(RunState.SUCCESS);
        assertThat(engine.log("branching", "r1", "branch", 1)).anyMatch(l -> l.contains("Skipping tasks [path_b]"));
        assertThat(engine.ti("branching", "r1", "branch").output()).isEqualTo("\"chosen\"");
    }

    @Test
    void followingNoneSkipsEveryDirectDownstreamAndTheJoin() {
        registerBranchDag();
        trigger("branching", "r1");
        engine.settle();

        assertThat(engine.states("branching", "r1")).containsEntry("branch", TaskState.SUCCESS)
                .containsEntry("path_a", TaskState.SKIPPED).containsEntry("path_b", TaskState.SKIPPED)
                .containsEntry("join", TaskState.SKIPPED).containsEntry("strict_join", TaskState.SKIPPED);
        assertThat(engine.runsOf("branching").get(0).state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aJoinThatHangsOffTheBranchToo_runsWhenAFollowedTaskLeadsToIt() {
        DagBuilder b = Dag.builder("empty_branch");
        TaskBuilder branch = b.task("branch", op("test.branch"));
        TaskBuilder a = b.task("path_a", op("test.noop"));
        TaskBuilder join = b.task("join", op("test.noop")).triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
        branch.then(a).then(join);
        branch.then(join);
        engine.register(b.build());
        TestPlugin.FOLLOW.put("branch", List.of("path_a"));
        trigger("empty_branch", "r1");
        engine.settle();

        assertThat(engine.states("empty_branch", "r1")).containsEntry("path_a", TaskState.SUCCESS)
                .containsEntry("join", TaskState.SUCCESS);
    }

    @Test
    void aBranchToATaskTheDagDoesNotHaveFailsNamingIt() {
        registerBranchDag();
        TestPlugin.FOLLOW.put("branch", List.of("path_c"));
        trigger("branching", "r1");
        engine.settle();

        assertThat(engine.states("branching", "r1")).containsEntry("branch", TaskState.FAILED)
                .containsEntry("path_a", TaskState.UPSTREAM_FAILED);
        assertThat(engine.log("branching", "r1", "branch", 1)).anyMatch(l -> l.contains(
                "the branch to follow names task(s) [path_c] that DAG 'branching' does not have; the tasks"
                        + " downstream of 'branch' are [path_a, path_b]"));
    }

    @Test
    void clearingTheBranchWithItsDownstreamDecidesAgain() {
        registerBranchDag();
        TestPlugin.FOLLOW.put("branch", List.of("path_a"));
        trigger("branching", "r1");
        engine.settle();

        TestPlugin.FOLLOW.put("branch", List.of("path_b"));
        engine.runs.clearTasks("branching", "r1", List.of("branch"), true);
        engine.settle();

        assertThat(engine.states("branching", "r1")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "branch", TaskState.SUCCESS, "path_a", TaskState.SKIPPED, "path_b", TaskState.SUCCESS,
                "after_b", TaskState.SUCCESS, "join", TaskState.SUCCESS, "strict_join", TaskState.SKIPPED));
        assertThat(engine.runsOf("branching").get(0).state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void aShortCircuitSkipsEveryTaskDownstreamWhateverItsTriggerRule() {
        DagBuilder b = Dag.builder("short");
        TaskBuilder check = b.task("check", op("test.short_circuit"));
        TaskBuilder next = b.task("next", op("test.noop"));
        TaskBuilder cleanup = b.task("cleanup", op("test.noop")).triggerRule(TriggerRule.ALL_DONE);
        check.then(next).then(cleanup);
        engine.register(b.build());
        trigger("short", "r1");
        engine.settle();

        assertThat(engine.states("short", "r1")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "check", TaskState.SUCCESS, "next", TaskState.SKIPPED, "cleanup", TaskState.SKIPPED));
    }

    @Test
    void aTaskSeesTheScheduleIntervalAfterItsRun() {
        DagBuilder b = Dag.builder("daily").schedule("@daily").startDate(Instant.parse("2026-11-20T00:00:00Z"))
                .catchup(false);
        b.task("look", op("test.next_interval"));
        engine.register(b.build());
        engine.runs.trigger(new RunService.Trigger("daily", "r1", Instant.parse("2026-11-22T00:00:00Z"),
                new DataInterval(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z")),
                Map.of(), null, null));
        engine.settle();

        assertThat(engine.log("daily", "r1", "look", 1)).anyMatch(l -> l.contains(
                "next interval DataInterval[start=2026-11-23T00:00:00Z, end=2026-11-24T00:00:00Z]"));
    }
}
