package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.OperatorRef;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduler never takes a run's examination mark while a worker's transaction is still changing that run's tasks:
 * it skips the run and takes the mark once the changes are committed. Taking it early would read the old states and
 * lose the wake-up until the next housekeeping pass.
 */
class WakeUpTest {
    @Test
    void theMarkIsTakenOnlyAfterTheTransactionThatSetItCommits() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Instant now = Instant.parse("2026-11-24T10:00:00Z");
            var b = Dag.builder("wake");
            b.task("a", OperatorRef.of("test.noop", Map.of()));
            db.database().dags().upsert(b.build(), "h", null, false, now);
            RunRecord run = db.database().runs().create(new NewRun("wake", "r", RunType.MANUAL, now,
                    new DataInterval(now, now), true, Map.of(), null, null),
                    List.of(new NewTaskInstance("a", "test.noop", 0, 1, "default_pool", 1)), now);
            db.database().runs().startQueued(now, (dagByRun, states) -> List.of()); // running, and already marked

            try (Handle worker = db.database().jdbi().open()) {
                worker.begin();
                worker.execute("UPDATE task_instance SET state = 'success' WHERE run_pk = ?", run.id());
                worker.attach(RunDao.class).markForExamination(List.of(run.id()));

                assertThat(db.database().runs().takeRunsToExamine(10)).isEmpty();
                worker.commit();
                assertThat(db.database().runs().takeRunsToExamine(10)).containsExactly(run.id());
            }
            assertThat(db.database().taskInstances().statesOf(List.of(run.id())).get(0).state().wireName())
                    .isEqualTo("success");
        }
    }

}
