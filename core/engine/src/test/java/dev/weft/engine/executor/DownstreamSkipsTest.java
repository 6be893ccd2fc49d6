package dev.weft.engine.executor;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import dev.weft.spi.dag.TaskBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which tasks a branching result skips, as Airflow's SkipMixin decides. */
class DownstreamSkipsTest {
    /**
     * <pre>
     * branch >> [a, b, join]; a >> a2 >> join; b >> b2
     * </pre>
     */
    private static CompiledDag dag() {
        DagBuilder d = Dag.builder("d");
        TaskBuilder branch = d.task("branch", OperatorRef.of("standard.empty", Map.of()));
        TaskBuilder a = d.task("a", OperatorRef.of("standard.empty", Map.of()));
        TaskBuilder a2 = d.task("a2", OperatorRef.of("standard.empty", Map.of()));
        TaskBuilder b = d.task("b", OperatorRef.of("standard.empty", Map.of()));
        TaskBuilder b2 = d.task("b2", OperatorRef.of("standard.empty", Map.of()));
        TaskBuilder join = d.task("join", OperatorRef.of("standard.empty", Map.of()));
        branch.then(a, b, join);
        a.then(a2).then(join);
        b.then(b2);
        return new CompiledDag(d.build(), "v1");
    }

    @Test
    void aBranchSkipsTheDirectDownstreamItDoesNotFollow_butNotAJoinBelowAFollowedTask() {
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.branch(null, List.of("a"))))
                .containsExactly("b");
        // b's downstream does not lead to the join: following b skips a and the join.
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.branch(null, List.of("b"))))
                .containsExactly("a", "join");
    }

    @Test
    void followingNoneSkipsEveryDirectDownstreamTaskOnly() {
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.branch("x", List.of())))
                .containsExactly("a", "b", "join");
    }

    @Test
    void aBranchMayFollowATaskFurtherDown() {
        // Not direct, but a task of the DAG (Airflow accepts it): its upstream branch is kept, the rest skipped.
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.branch(null, List.of("b2"))))
                .containsExactly("a", "b", "join");
    }

    @Test
    void aShortCircuitSkipsEveryTaskDownstream() {
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.skipAllDownstream(false)))
                .containsExactly("a", "a2", "b", "b2", "join");
        assertThat(DownstreamSkips.of(dag(), "b", OperatorResult.skipAllDownstream(false))).containsExactly("b2");
    }

    @Test
    void plainResultsSkipNothing() {
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.success("x"))).isEmpty();
        assertThat(DownstreamSkips.of(dag(), "branch", OperatorResult.skipped("why"))).isEmpty();
    }

    @Test
    void followingATaskTheDagDoesNotHaveIsAnErrorNamingItAndTheDownstreamTasks() {
        assertThatThrownBy(() -> DownstreamSkips.of(dag(), "branch", OperatorResult.branch(null, List.of("c", "a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the branch to follow names task(s) [c] that DAG 'd' does not have; the tasks downstream"
                        + " of 'branch' are [a, b, join]");
    }
}
