package dev.weft.engine.scheduler;

import dev.weft.engine.store.PoolStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StuckTasksTest {
    @Test
    void anUnknownPoolIsNamedWithHowToCreateIt() {
        StuckTasks.Stuck stuck = StuckTasks.explain(List.of(new PoolStore.Shortage("promotions", "manual__1",
                "load", "warehouse", 1, null))).get(0);
        assertThat(stuck.reason()).isEqualTo(StuckTasks.Reason.UNKNOWN_POOL);
        assertThat(stuck.runId()).isEqualTo("manual__1");
        assertThat(stuck.message()).isEqualTo("task 'load' of DAG 'promotions' uses pool 'warehouse', which does not"
                + " exist, so it is never queued. Create the pool (weft pools set warehouse <slots>, or POST"
                + " /api/v1/pools) or change the task's pool.");
    }

    @Test
    void aPoolSmallerThanTheTaskNeedsSaysBothSizes() {
        StuckTasks.Stuck stuck = StuckTasks.explain(List.of(new PoolStore.Shortage("promotions", null, "load",
                "warehouse", 3, 2))).get(0);
        assertThat(stuck.reason()).isEqualTo(StuckTasks.Reason.POOL_TOO_SMALL);
        assertThat(stuck.message()).isEqualTo("task 'load' of DAG 'promotions' needs 3 slots of pool 'warehouse',"
                + " which has 2, so it is never queued. Give the pool at least 3 slots (weft pools set warehouse 3)"
                + " or lower the task's pool_slots.");
    }
}
