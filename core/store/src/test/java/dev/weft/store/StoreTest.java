package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.DagSpec;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static DagSpec dag(String id) {
        DagBuilder b = Dag.builder(id);
        b.task("a", OperatorRef.of("test.noop", Map.of())).then(b.task("b", OperatorRef.of("test.noop", Map.of())));
        return b.build();
    }

    @Test
    void aServerWithoutAutovacuumIsReportedWithWhatToDo() {
        assertThat(WeftDatabase.settingWarnings("on")).isEmpty();
        assertThat(WeftDatabase.settingWarnings("off")).singleElement().asString()
                .contains("autovacuum off").contains("VACUUM task_instance and dag_run");
        String actual = db.database().jdbi().withHandle(h -> h.createQuery("SHOW autovacuum").mapTo(String.class).one());
        assertThat(db.database().settingWarnings()).as("read from this server (autovacuum %s)", actual)
                .isEqualTo(WeftDatabase.settingWarnings(actual));
    }

    @Test
    void upsertTellsWhetherTheSpecChangedAndRoundTripsIt() {
        DagSpec spec = dag("round_trip");
        assertThat(db.database().dags().upsert(spec, "h1", "x.jar", false, NOW)).isTrue();
        assertThat(db.database().dags().upsert(spec, "h1", "x.jar", false, NOW)).isFalse();
        assertThat(db.database().dags().upsert(spec, "h2", "x.jar", false, NOW)).isTrue();
        assertThat(db.database().dags().find("round_trip").orElseThrow().spec()).isEqualTo(spec);
    }

    @Test
    void createsRunsWithTaskInstancesAndRejectsDuplicates() {
        db.database().dags().upsert(dag("dup"), "h", null, false, NOW);
        NewRun run = new NewRun("dup", "manual__x", RunType.MANUAL, NOW, new DataInterval(NOW, NOW), true,
                Map.of("k", 1L), null, null);
        List<NewTaskInstance> tis = List.of(new NewTaskInstance("a", "test.noop", 0, 2, "default_pool", 1),
                new NewTaskInstance("b", "test.noop", 0, 1, "default_pool", 1));
        RunRecord created = db.database().runs().create(run, tis, NOW);
        assertThat(created.state()).isEqualTo(RunState.QUEUED);
        assertThat(created.conf()).containsEntry("k", 1L);
        List<TaskStateRow> states = db.database().taskInstances().statesOf(List.of(created.id()));
        assertThat(states).extracting(TaskStateRow::state).containsOnly(TaskState.NONE);

        assertThatThrownBy(() -> db.database().runs().create(run, tis, NOW))
                .isInstanceOf(RunConflictException.class).hasMessageContaining("DAGRun ID: 'manual__x' already exists");
        NewRun sameDate = new NewRun("dup", "other", RunType.MANUAL, NOW, null, true, Map.of(), null, null);
        assertThatThrownBy(() -> db.database().runs().create(sameDate, tis, NOW))
                .isInstanceOf(RunConflictException.class).hasMessageContaining("logical date");
    }

    @Test
    void theGridPagesBackByLogicalDateAndReadsCellsTriesAndReschedules() {
        db.database().dags().upsert(dag("grid"), "h", null, false, NOW);
        List<NewTaskInstance> tis = List.of(new NewTaskInstance("a", "test.noop", 0, 2, "default_pool", 1),
                new NewTaskInstance("b", "test.noop", 0, 1, "default_pool", 1));
        List<Long> ids = new java.util.ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            Instant at = NOW.plusSeconds(86_400L * day);
            ids.add(db.database().runs().create(new NewRun("grid", "manual__" + day, RunType.MANUAL, at,
                    new DataInterval(at, at), true, Map.of(), null, null), tis, NOW).id());
        }
        var queries = db.database().queries();
        assertThat(queries.latestRuns("grid", 2, null)).extracting(RunRecord::runId)
                .containsExactly("manual__3", "manual__2");
        assertThat(queries.latestRuns("grid", 5, NOW.plusSeconds(86_400L * 3))).extracting(RunRecord::runId)
                .containsExactly("manual__2", "manual__1");
        assertThat(queries.gridCells(ids.subList(0, 2))).hasSize(4)
                .allSatisfy(c -> assertThat(c.state()).isEqualTo(TaskState.NONE))
                .extracting(c -> c.runPk()).containsOnly(ids.get(0), ids.get(1));
        assertThat(queries.gridCells(List.of())).isEmpty();

        long ti = db.database().taskInstances().find("grid", "manual__1", "a").orElseThrow().id();
        db.database().jdbi().useHandle(h -> {
            h.execute("INSERT INTO task_try (ti_id, try_number, state, start_date, end_date, duration, hostname)"
                    + " VALUES (?, 1, 'failed', ?, ?, 2.5, 'host1')", ti, NOW, NOW.plusSeconds(2));
            h.execute("INSERT INTO task_reschedule (ti_id, try_number, start_date, end_date, duration,"
                    + " reschedule_date) VALUES (?, 2, ?, ?, 1, ?)", ti, NOW, NOW.plusSeconds(1), NOW.plusSeconds(60));
        });
        assertThat(queries.tries(ti)).singleElement().satisfies(t -> {
            assertThat(t.tryNumber()).isEqualTo(1);
            assertThat(t.state()).isEqualTo(TaskState.FAILED);
            assertThat(t.hostname()).isEqualTo("host1");
        });
        assertThat(queries.reschedules(ti)).singleElement().satisfies(r -> {
            assertThat(r.tryNumber()).isEqualTo(2);
            assertThat(r.rescheduleDate()).isEqualTo(NOW.plusSeconds(60));
        });
    }

    @Test
    void statesBoundAsSqlObjectParametersAreStoredAsWireNames() {
        db.database().dags().upsert(dag("wire"), "h", null, false, NOW);
        RunRecord run = db.database().runs().create(new NewRun("wire", "manual__w", RunType.MANUAL, NOW,
                new DataInterval(NOW, NOW), true, Map.of(), null, null),
                List.of(new NewTaskInstance("a", "test.noop", 0, 1, "default_pool", 1)), NOW);

        db.database().taskInstances().finishUnfinished(run.id(), TaskState.UPSTREAM_FAILED, NOW);

        // SQL compares states with wire names ('upstream_failed' IN FINISHED), so the enum's Java name would be wrong.
        String stored = db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT state FROM task_instance WHERE run_pk = :run").bind("run", run.id()).mapTo(String.class)
                .one());
        assertThat(stored).isEqualTo("upstream_failed");
    }
}
