package dev.weft.engine.schedule;

import dev.weft.engine.schedule.TriggerRules.Decision;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.TriggerRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.weft.engine.schedule.TriggerRules.Decision.RUN;
import static dev.weft.engine.schedule.TriggerRules.Decision.SKIP;
import static dev.weft.engine.schedule.TriggerRules.Decision.UPSTREAM_FAILED;
import static dev.weft.engine.schedule.TriggerRules.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriggerRulesTest {

    /** Upstream states by wire name, space-separated; "-" for no upstream. */
    static UpstreamSummary upstream(String states) {
        if (states.equals("-")) {
            return UpstreamSummary.of(List.of());
        }
        return UpstreamSummary.of(Arrays.stream(states.trim().split("\\s+")).map(TaskState::fromWire).toList());
    }

    @ParameterizedTest(name = "{0} with upstream [{1}] → {2}")
    @CsvSource(delimiter = '|', value = {
            // all_success
            "all_success | success success           | RUN",
            "all_success | success running           | WAIT",
            "all_success | success none              | WAIT",
            "all_success | success up_for_retry      | WAIT",
            "all_success | success skipped           | SKIP",
            "all_success | skipped running           | SKIP",
            "all_success | success failed            | UPSTREAM_FAILED",
            "all_success | upstream_failed running   | UPSTREAM_FAILED",
            "all_success | failed skipped            | UPSTREAM_FAILED",
            // all_failed
            "all_failed | failed upstream_failed     | RUN",
            "all_failed | failed running             | WAIT",
            "all_failed | failed success             | SKIP",
            "all_failed | failed skipped             | SKIP",
            // all_done
            "all_done | success failed skipped upstream_failed | RUN",
            "all_done | failed failed                | RUN",
            "all_done | success running              | WAIT",
            "all_done | failed up_for_retry          | WAIT",
            "all_done | success up_for_reschedule    | WAIT",
            // one_success
            "one_success | success running           | RUN",
            "one_success | success failed            | RUN",
            "one_success | running queued            | WAIT",
            "one_success | failed running            | WAIT",
            "one_success | skipped skipped           | SKIP",
            "one_success | failed skipped            | UPSTREAM_FAILED",
            "one_success | upstream_failed failed    | UPSTREAM_FAILED",
            // one_failed
            "one_failed | failed running             | RUN",
            "one_failed | upstream_failed running    | RUN",
            "one_failed | success running            | WAIT",
            "one_failed | success skipped            | SKIP",
            // one_done
            "one_done | success running              | RUN",
            "one_done | failed running               | RUN",
            "one_done | skipped running              | WAIT",
            "one_done | skipped upstream_failed      | SKIP",
            "one_done | skipped skipped              | SKIP",
            // none_failed
            "none_failed | success skipped           | RUN",
            "none_failed | skipped skipped           | RUN",
            "none_failed | success running           | WAIT",
            "none_failed | success failed            | UPSTREAM_FAILED",
            "none_failed | upstream_failed running   | UPSTREAM_FAILED",
            // none_failed_min_one_success
            "none_failed_min_one_success | success skipped        | RUN",
            "none_failed_min_one_success | success success        | RUN",
            "none_failed_min_one_success | skipped running        | WAIT",
            "none_failed_min_one_success | skipped skipped        | SKIP",
            "none_failed_min_one_success | failed success         | UPSTREAM_FAILED",
            "none_failed_min_one_success | upstream_failed skipped | UPSTREAM_FAILED",
            // none_skipped
            "none_skipped | success failed           | RUN",
            "none_skipped | success upstream_failed  | RUN",
            "none_skipped | success running          | WAIT",
            "none_skipped | skipped running          | SKIP",
            // all_skipped
            "all_skipped | skipped skipped           | RUN",
            "all_skipped | skipped running           | WAIT",
            "all_skipped | skipped success           | SKIP",
            "all_skipped | skipped failed            | SKIP",
            "all_skipped | upstream_failed           | SKIP",
            // always
            "always | running failed                 | RUN",
            "always | none                           | RUN",
            "always | upstream_failed skipped        | RUN",
            // legacy aliases
            "none_failed_or_skipped | skipped skipped | SKIP",
            "dummy | failed                          | RUN",
            // removed upstream tasks are not part of the set
            "all_success | success removed           | RUN",
            "all_skipped | skipped removed           | RUN",
            "one_success | removed running           | WAIT",
    })
    void followsTheTriggerRuleTable(String rule, String states, Decision expected) {
        assertThat(TriggerRules.decide(TriggerRule.fromWire(rule), upstream(states))).isEqualTo(expected);
    }

    @Test
    void aSkippedUpstreamSkipsAnAllSuccessTask() {
        UpstreamSummary up = UpstreamSummary.of(List.of(TaskState.SUCCESS, TaskState.SKIPPED));
        assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, up)).isEqualTo(SKIP);
    }

    @Test
    void aTaskWithoutUpstreamRunsWhateverItsRule() {
        for (TriggerRule rule : TriggerRule.values()) {
            assertThat(TriggerRules.decide(rule, UpstreamSummary.EMPTY)).as(rule.wireName()).isEqualTo(RUN);
            assertThat(TriggerRules.decide(rule, upstream("removed removed"))).as(rule.wireName()).isEqualTo(RUN);
        }
    }

    @Test
    void nothingIsDecidedWhileEveryUpstreamIsStillPendingExceptAlways() {
        Set<TaskState> pending = EnumSet.of(TaskState.NONE, TaskState.SCHEDULED, TaskState.QUEUED, TaskState.RUNNING,
                TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE, TaskState.RESTARTING);
        UpstreamSummary up = UpstreamSummary.of(List.copyOf(pending));
        assertThat(up.total()).isEqualTo(pending.size());
        assertThat(up.done()).isZero();
        for (TriggerRule rule : TriggerRule.values()) {
            assertThat(TriggerRules.decide(rule, up)).as(rule.wireName())
                    .isEqualTo(rule == TriggerRule.ALWAYS ? RUN : WAIT);
        }
    }

    @Test
    void everyRuleHasAnOutcomeOnceAllUpstreamAreDone() {
        // With every upstream finished no rule may keep waiting: the task runs or gets a final state.
        List<List<TaskState>> finished = List.of(
                List.of(TaskState.SUCCESS), List.of(TaskState.FAILED), List.of(TaskState.SKIPPED),
                List.of(TaskState.UPSTREAM_FAILED), List.of(TaskState.SUCCESS, TaskState.SKIPPED),
                List.of(TaskState.SUCCESS, TaskState.FAILED), List.of(TaskState.SKIPPED, TaskState.UPSTREAM_FAILED),
                List.of(TaskState.SUCCESS, TaskState.FAILED, TaskState.SKIPPED, TaskState.UPSTREAM_FAILED));
        for (TriggerRule rule : TriggerRule.values()) {
            for (List<TaskState> states : finished) {
                assertThat(TriggerRules.decide(rule, UpstreamSummary.of(states)))
                        .as(rule.wireName() + " " + states).isNotEqualTo(WAIT);
            }
        }
    }

    @Test
    void summaryCountsStates() {
        UpstreamSummary up = upstream("success success skipped failed upstream_failed running removed none");
        assertThat(up).isEqualTo(new UpstreamSummary(7, 2, 1, 1, 1, 5));
        assertThat(up.anyFailed()).isEqualTo(2);
        assertThat(up.allDone()).isFalse();
        assertThatThrownBy(() -> new UpstreamSummary(1, 1, 1, 0, 0, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TriggerRules.decide(TriggerRule.ALL_FAILED, upstream("failed"))).isEqualTo(RUN);
        assertThat(TriggerRules.decide(TriggerRule.ONE_SUCCESS, upstream("failed failed"))).isEqualTo(UPSTREAM_FAILED);
    }
}
