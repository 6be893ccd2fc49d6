package dev.weft.plugins.standard;

import dev.weft.plugins.standard.fixtures.Checks;
import dev.weft.spi.DataInterval;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.RunType;
import dev.weft.testkit.ManualClock;
import dev.weft.testkit.OperatorHarness;
import dev.weft.testkit.TestTaskContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** standard.branch, standard.short_circuit and standard.latest_only: the outcomes they hand the engine. */
class BranchingOperatorsTest {
    private static final String CHECKS = Checks.class.getName();

    private static OperatorResult branch(String which) throws Exception {
        return OperatorHarness.execute(new BranchOperatorFactory(),
                Map.of("callable", CHECKS + "::chooseBranch", "op_kwargs", Map.of("which", which)),
                TestTaskContext.builder().build());
    }

    @Test
    void aBranchFollowsTheTaskIdsItsCallableReturns() throws Exception {
        assertThat(branch("a")).isEqualTo(new OperatorResult.Branch("path_a", Set.of("path_a")));
        assertThat(branch("both")).isEqualTo(new OperatorResult.Branch(List.of("path_a", "path_b"),
                Set.of("path_a", "path_b")));
        assertThat(branch("none")).isEqualTo(new OperatorResult.Branch(null, Set.of()));
    }

    @Test
    void aBranchCallableThatReturnsNoTaskIdsFailsSayingWhat() {
        assertThatThrownBy(() -> branch("other")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the branch callable must return a task id, a list of task ids or null, but returned 42");
        assertThatThrownBy(() -> branch("mixed")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the branch callable must return task ids as strings, but returned these other values: [7]");
    }

    private static OperatorResult shortCircuit(Object value, Boolean ignore) throws Exception {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("callable", CHECKS + "::condition");
        params.put("op_args", java.util.Arrays.asList(value));
        if (ignore != null) {
            params.put("ignore_downstream_trigger_rules", ignore);
        }
        return OperatorHarness.execute(new ShortCircuitOperatorFactory(), params, TestTaskContext.builder().build());
    }

    @Test
    void aTruthyConditionLetsTheDownstreamRun() throws Exception {
        assertThat(shortCircuit("yes", null)).isEqualTo(OperatorResult.success("yes"));
        assertThat(shortCircuit(List.of(1), false)).isEqualTo(OperatorResult.success(List.of(1L)));
    }

    @Test
    void aFalsyConditionSkipsEveryTaskDownstream_orByDefaultRulesOnlyTheDirectOnes() throws Exception {
        assertThat(shortCircuit(false, null)).isEqualTo(OperatorResult.skipAllDownstream(false));
        assertThat(shortCircuit("", true)).isEqualTo(OperatorResult.skipAllDownstream(""));
        assertThat(shortCircuit(0, false)).isEqualTo(OperatorResult.branch(0L, Set.of()));
        assertThat(shortCircuit(null, false)).isEqualTo(OperatorResult.branch(null, Set.of()));
    }

    private static final DataInterval DAY = new DataInterval(Instant.parse("2026-11-20T00:00:00Z"),
            Instant.parse("2026-11-21T00:00:00Z"));
    private static final DataInterval NEXT_DAY = new DataInterval(Instant.parse("2026-11-21T00:00:00Z"),
            Instant.parse("2026-11-22T00:00:00Z"));

    private static OperatorResult latestOnly(RunType type, DataInterval next, String now) throws Exception {
        TestTaskContext ctx = TestTaskContext.builder().runType(type).logicalDate(DAY.start()).dataInterval(DAY)
                .nextDataInterval(next).clock(new ManualClock(Instant.parse(now))).build();
        return OperatorHarness.execute(new LatestOnlyOperatorFactory(), Map.of(), ctx);
    }

    @Test
    void theLatestScheduledRunProceeds_whileItsNextIntervalRuns() throws Exception {
        assertThat(latestOnly(RunType.SCHEDULED, NEXT_DAY, "2026-11-21T00:00:01Z")).isEqualTo(OperatorResult.success());
        assertThat(latestOnly(RunType.SCHEDULED, NEXT_DAY, "2026-11-22T00:00:00Z")).isEqualTo(OperatorResult.success());
    }

    @Test
    void anOlderScheduledRunOrABackfillSkipsTheDirectDownstream() throws Exception {
        OperatorResult skipAll = OperatorResult.branch(null, Set.of());
        assertThat(latestOnly(RunType.SCHEDULED, NEXT_DAY, "2026-11-23T09:00:00Z")).isEqualTo(skipAll);
        assertThat(latestOnly(RunType.BACKFILL, NEXT_DAY, "2026-11-23T09:00:00Z")).isEqualTo(skipAll);
        // Exactly at the start of the next interval, this run's is not over (Airflow: left_window < now).
        assertThat(latestOnly(RunType.SCHEDULED, NEXT_DAY, "2026-11-21T00:00:00Z")).isEqualTo(skipAll);
    }

    @Test
    void aManualRunOrTheLastScheduledOneProceeds() throws Exception {
        assertThat(latestOnly(RunType.MANUAL, NEXT_DAY, "2026-11-30T00:00:00Z")).isEqualTo(OperatorResult.success());
        assertThat(latestOnly(RunType.SCHEDULED, null, "2026-11-30T00:00:00Z")).isEqualTo(OperatorResult.success());
    }
}
