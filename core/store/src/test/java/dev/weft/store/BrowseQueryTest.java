package dev.weft.store;

import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.NewTaskInstance;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.QueryStore.BrowseFilter;
import dev.weft.engine.store.QueryStore.Range;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunState;
import dev.weft.spi.RunType;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The UI's browse queries across DAGs: "what failed tonight?" on real PostgreSQL. */
class BrowseQueryTest {
    private static final Instant NIGHT = Instant.parse("2026-12-06T02:00:00Z");
    private static TestDatabase db;
    private static QueryStore q;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        q = db.database().queries();
        for (String dagId : List.of("alpha", "beta")) {
            DagBuilder b = Dag.builder(dagId);
            b.task("a", OperatorRef.of("test.noop", Map.of())).then(b.task("b", OperatorRef.of("test.noop", Map.of())));
            db.database().dags().upsert(b.build(), "h", "x", false, NIGHT);
        }
        // alpha: a scheduled run two days ago that succeeded, a scheduled one last night that failed;
        // beta: a manual run last night that failed, a backfill that is still queued (no start or end).
        run("alpha", "scheduled__old", RunType.SCHEDULED, NIGHT.minus(Duration.ofDays(2)), RunState.SUCCESS,
                NIGHT.minus(Duration.ofDays(2)));
        run("alpha", "scheduled__night", RunType.SCHEDULED, NIGHT.minus(Duration.ofDays(1)), RunState.FAILED,
                NIGHT.plus(Duration.ofMinutes(5)));
        run("beta", "manual__night", RunType.MANUAL, NIGHT, RunState.FAILED, NIGHT.plus(Duration.ofMinutes(10)));
        run("beta", "backfill__waiting", RunType.BACKFILL, NIGHT.minus(Duration.ofDays(5)), null, null);
    }

    private static void run(String dagId, String runId, RunType type, Instant logicalDate, RunState end,
                            Instant endedAt) {
        RunRecord run = db.database().runs().create(new NewRun(dagId, runId, type, logicalDate,
                new DataInterval(logicalDate, logicalDate), type == RunType.MANUAL, Map.of(), null, null),
                List.of(new NewTaskInstance("a", "test.noop", 1, 2, "default_pool", 1),
                        new NewTaskInstance("b", "test.noop", 1, 1, "default_pool", 1)), logicalDate);
        if (end != null) {
            db.database().taskInstances().finishUnfinished(run.id(),
                    end == RunState.SUCCESS ? TaskState.SUCCESS : TaskState.FAILED, endedAt);
            assertThat(db.database().runs().setState(run.id(), RunState.QUEUED, end, endedAt)).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static List<String> runIds(QueryStore.Page<RunRecord> page) {
        return page.items().stream().map(RunRecord::runId).toList();
    }

    private static List<String> tiIds(QueryStore.Page<TaskInstanceRecord> page) {
        return page.items().stream().map(t -> t.runId() + "/" + t.taskId()).toList();
    }

    @Test
    void failedInTheLast24HoursAcrossDagsNewestFirst() {
        Range lastDay = new Range(NIGHT.plus(Duration.ofHours(12)).minus(Duration.ofHours(24)),
                NIGHT.plus(Duration.ofHours(12)));
        BrowseFilter failed = new BrowseFilter(null, List.of("failed"), null, "end_date", lastDay);

        assertThat(runIds(q.browseRuns(failed, 10, 0))).containsExactly("manual__night", "scheduled__night");
        var tis = q.browseTaskInstances(failed, 10, 0);
        assertThat(tis.total()).isEqualTo(4);
        assertThat(tiIds(tis)).containsExactly("manual__night/b", "manual__night/a", "scheduled__night/b",
                "scheduled__night/a");
    }

    @Test
    void runTypeAndDagFilterRunsAndTheirTaskInstances() {
        BrowseFilter scheduledAlpha = new BrowseFilter(List.of("alpha"), null, List.of("scheduled"), null, null);
        assertThat(runIds(q.browseRuns(scheduledAlpha, 10, 0))).containsExactly("scheduled__night", "scheduled__old");
        assertThat(q.browseTaskInstances(scheduledAlpha, 10, 0).total()).isEqualTo(4);

        BrowseFilter backfills = new BrowseFilter(null, null, List.of("backfill"), null, null);
        assertThat(runIds(q.browseRuns(backfills, 10, 0))).containsExactly("backfill__waiting");
        assertThat(tiIds(q.browseTaskInstances(backfills, 10, 0))).containsExactly("backfill__waiting/b",
                "backfill__waiting/a");
        assertThat(q.browseRuns(new BrowseFilter(List.of("beta"), List.of("success"), null, null, null), 10, 0)
                .total()).isZero();
    }

    @Test
    void newestFirstPagesWithTheTotalAndUnendedRunsLeadAnEndDateSort() {
        BrowseFilter any = new BrowseFilter(null, null, null, "logical_date", Range.ANY);
        var first = q.browseRuns(any, 2, 0);
        assertThat(first.total()).isEqualTo(4);
        assertThat(runIds(first)).containsExactly("manual__night", "scheduled__night");
        assertThat(runIds(q.browseRuns(any, 2, 2))).containsExactly("scheduled__old", "backfill__waiting");

        assertThat(runIds(q.browseRuns(new BrowseFilter(null, null, null, "end_date", null), 1, 0)))
                .containsExactly("backfill__waiting");
    }

    @Test
    void aDateFieldOutsideTheListIsRefused() {
        assertThatThrownBy(() -> q.browseRuns(new BrowseFilter(null, null, null, "1; DROP TABLE dag_run", null),
                1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
