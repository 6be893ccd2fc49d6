package dev.weft.store;

import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.TaskInstanceRecord;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The API's list queries. Each filter is always in the SQL and switched off by a flag or a null bound, so the text
 * stays fixed; only the ORDER BY is chosen, from a fixed map of sort keys.
 */
public interface ApiQueryDao extends QueryStore, SqlObject {
    String DAG_WHERE = """
             FROM dag
            WHERE (NOT :onlyActive OR is_active)
              AND (CAST(:paused AS BOOLEAN) IS NULL OR is_paused = :paused)
              AND (CAST(:pattern AS TEXT) IS NULL OR dag_id ILIKE :pattern)
              AND (NOT :byTag OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(spec->'tags') AS t(tag)
                                         WHERE t.tag = ANY(:tags)))""";

    String RUN_WHERE = """
             FROM dag_run
            WHERE (NOT :byDag OR dag_id = ANY(:dagIds))
              AND (NOT :byState OR state = ANY(:states))
            """ + range("logical_date", "ld") + range("start_date", "sd") + range("end_date", "ed")
            + range("updated_at", "ua");

    String TI_WHERE = """
             FROM task_instance
            WHERE NOT :nothing
              AND (NOT :byDag OR dag_id = ANY(:dagIds))
              AND (NOT :byRun OR run_id = ANY(:runIds))
              AND (NOT :byTask OR task_id = ANY(:taskIds))
              AND (NOT :byState OR state = ANY(:states))
              AND (NOT :byPool OR pool = ANY(:pools))
              AND (CAST(:durGte AS DOUBLE PRECISION) IS NULL OR duration >= :durGte)
              AND (CAST(:durLte AS DOUBLE PRECISION) IS NULL OR duration <= :durLte)
            """ + range("logical_date", "ld") + range("start_date", "sd") + range("end_date", "ed")
            + range("updated_at", "ua");

    Map<String, String> RUN_ORDER = Map.of("id", "id", "state", "state", "dag_id", "dag_id",
            "execution_date", "logical_date", "dag_run_id", "run_id", "start_date", "start_date",
            "end_date", "end_date", "updated_at", "updated_at", "external_trigger", "external_trigger",
            "conf", "conf::text");

    private static String range(String column, String name) {
        return "  AND (CAST(:" + name + "Gte AS TIMESTAMPTZ) IS NULL OR " + column + " >= :" + name + "Gte)\n"
                + "  AND (CAST(:" + name + "Lte AS TIMESTAMPTZ) IS NULL OR " + column + " <= :" + name + "Lte)\n";
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static String direction(Paging paging) {
        return paging.descending() ? " DESC" : " ASC";
    }

    private <T> Page<T> page(String columns, String where, String orderBy, int limit, int offset,
                             Consumer<Query> binder, Class<T> type) {
        Query count = getHandle().createQuery("SELECT count(*)" + where);
        binder.accept(count);
        long total = count.mapTo(Long.class).one();
        Query rows = getHandle().createQuery("SELECT " + columns + where + " ORDER BY " + orderBy
                + " LIMIT :limit OFFSET :offset");
        binder.accept(rows);
        List<T> items = rows.bind("limit", limit).bind("offset", offset).mapTo(type).list();
        return new Page<>(items, total);
    }

    private static void bindRange(Query q, String name, Range range) {
        Range r = range == null ? Range.ANY : range;
        q.bind(name + "Gte", r.gte()).bind(name + "Lte", r.lte());
    }

    @Override
    default Page<DagRecord> dags(DagFilter filter, Paging paging) {
        String pattern = filter.idContains() == null ? null : "%" + filter.idContains().replace("\\", "\\\\")
                .replace("%", "\\%").replace("_", "\\_") + "%";
        return page(DagDao.COLUMNS, DAG_WHERE, "dag_id" + direction(paging), paging.limit(), paging.offset(),
                q -> q.bind("onlyActive", filter.onlyActive()).bind("paused", filter.paused())
                        .bind("pattern", pattern).bind("byTag", filter.tags() != null)
                        .bind("tags", array(filter.tags())),
                DagRecord.class);
    }

    @Override
    default Page<RunRecord> runs(RunFilter filter, Paging paging) {
        String column = RUN_ORDER.get(paging.sort() == null ? "id" : paging.sort());
        if (column == null) {
            throw new IllegalArgumentException("unknown sort key " + paging.sort());
        }
        String order = column + direction(paging) + (column.equals("id") ? "" : ", id");
        return page(RunDao.COLUMNS, RUN_WHERE, order, paging.limit(), paging.offset(), q -> {
            q.bind("byDag", filter.dagIds() != null).bind("dagIds", array(filter.dagIds()))
                    .bind("byState", filter.states() != null).bind("states", array(filter.states()));
            bindRange(q, "ld", filter.logicalDate());
            bindRange(q, "sd", filter.startDate());
            bindRange(q, "ed", filter.endDate());
            bindRange(q, "ua", filter.updatedAt());
        }, RunRecord.class);
    }

    @Override
    default Page<TaskInstanceRecord> taskInstances(TaskInstanceFilter filter, int limit, int offset) {
        return page(TaskInstanceDao.COLUMNS, TI_WHERE, "logical_date, dag_id, task_id, id", limit, offset, q -> {
            q.bind("nothing", filter.matchNothing())
                    .bind("byDag", filter.dagIds() != null).bind("dagIds", array(filter.dagIds()))
                    .bind("byRun", filter.runIds() != null).bind("runIds", array(filter.runIds()))
                    .bind("byTask", filter.taskIds() != null).bind("taskIds", array(filter.taskIds()))
                    .bind("byState", filter.states() != null).bind("states", array(filter.states()))
                    .bind("byPool", filter.pools() != null).bind("pools", array(filter.pools()))
                    .bind("durGte", filter.durationGte()).bind("durLte", filter.durationLte());
            bindRange(q, "ld", filter.logicalDate());
            bindRange(q, "sd", filter.startDate());
            bindRange(q, "ed", filter.endDate());
            bindRange(q, "ua", filter.updatedAt());
        }, TaskInstanceRecord.class);
    }

    @Override
    @SqlQuery("SELECT " + RunDao.COLUMNS + " FROM dag_run WHERE triggered_by_dag_id = :dagId"
            + " AND triggered_by_run_id = :runId ORDER BY id")
    List<RunRecord> triggeredBy(@Bind("dagId") String dagId, @Bind("runId") String runId);

    @Override
    @SqlQuery("""
            SELECT 'dag' AS kind, dag_id AS name, sensor_deadlock_since AS since FROM dag
            WHERE sensor_deadlock_since IS NOT NULL
            UNION ALL
            SELECT 'pool', name, sensor_deadlock_since FROM pool WHERE sensor_deadlock_since IS NOT NULL
            UNION ALL
            SELECT 'engine', resource, since FROM cross_dag_sensor_deadlock
            ORDER BY since, kind, name""")
    List<SensorDeadlock> sensorDeadlocks();

    // Uses the unique index (dag_id, logical_date), backwards from the newest (or from :before).
    @Override
    @SqlQuery("SELECT " + RunDao.COLUMNS + " FROM dag_run WHERE dag_id = :dagId"
            + " AND (CAST(:before AS TIMESTAMPTZ) IS NULL OR logical_date < :before)"
            + " ORDER BY logical_date DESC, id DESC LIMIT :limit")
    List<RunRecord> latestRuns(@Bind("dagId") String dagId, @Bind("limit") int limit,
                               @Bind("before") Instant before);

    @Override
    default List<GridCell> gridCells(Collection<Long> runPks) {
        return runPks.isEmpty() ? List.of() : gridCells(runPks.stream().mapToLong(Long::longValue).toArray());
    }

    // The task_instance_run_task_key index (run_pk, task_id) serves the ANY.
    @SqlQuery("SELECT run_pk, task_id, state, try_number, start_date, end_date, duration FROM task_instance"
            + " WHERE run_pk = ANY(:runPks)")
    List<GridCell> gridCells(@Bind("runPks") long[] runPks);

    @Override
    @SqlQuery("SELECT try_number, state, start_date, end_date, duration, hostname, plugin, plugin_version"
            + " FROM task_try WHERE ti_id = :tiId ORDER BY try_number")
    List<TryRecord> tries(@Bind("tiId") long taskInstanceId);

    // A try still rescheduling has its pokes counted on the task instance (see 005-sensor-pokes), not a row yet.
    @Override
    @SqlQuery("""
            SELECT try_number, poke_count, start_date, end_date, reschedule_date
            FROM (SELECT id, try_number, poke_count, start_date, end_date, reschedule_date FROM task_reschedule
                  WHERE ti_id = :tiId
                  UNION ALL
                  SELECT NULL, try_number, try_pokes, try_first_poke_at, last_reschedule_at,
                      COALESCE(next_attempt_at, start_date)
                  FROM task_instance WHERE id = :tiId AND try_pokes > 0) AS r
            ORDER BY id NULLS LAST""")
    List<Reschedule> reschedules(@Bind("tiId") long taskInstanceId);

    @Override
    default List<RecentRun> recentRuns(List<String> dagIds, int perDag) {
        return dagIds.isEmpty() ? List.of() : recentRunsOf(array(dagIds), perDag);
    }

    // One index range scan of (dag_id, logical_date) per DAG, through the lateral join.
    @SqlQuery("""
            SELECT r.dag_id, r.run_id, r.run_type, r.state, r.logical_date
            FROM unnest(CAST(:dagIds AS TEXT[])) AS d(dag_id)
            CROSS JOIN LATERAL (SELECT dag_id, run_id, run_type, state, logical_date FROM dag_run
                                WHERE dag_run.dag_id = d.dag_id
                                ORDER BY logical_date DESC, id DESC LIMIT :perDag) AS r""")
    List<RecentRun> recentRunsOf(@Bind("dagIds") String[] dagIds, @Bind("perDag") int perDag);

    // The browse pages' filters; the date column is spliced in from BROWSE_DATES only.
    String BROWSE_WHERE = """
            WHERE (NOT :byDag OR dag_id = ANY(:dagIds))
              AND (NOT :byState OR state = ANY(:states))
              AND (CAST(:gte AS TIMESTAMPTZ) IS NULL OR <date> >= :gte)
              AND (CAST(:lte AS TIMESTAMPTZ) IS NULL OR <date> <= :lte)
            """;

    @Override
    default Page<RunRecord> browseRuns(BrowseFilter filter, int limit, int offset) {
        String date = browseDate(filter);
        return page(RunDao.COLUMNS, " FROM dag_run " + BROWSE_WHERE.replace("<date>", date)
                        + " AND (NOT :byType OR run_type = ANY(:runTypes))",
                date + " DESC NULLS FIRST, id DESC", limit, offset, q -> bindBrowse(q, filter), RunRecord.class);
    }

    // The run type lives on the run: run_pk is its primary key.
    @Override
    default Page<TaskInstanceRecord> browseTaskInstances(BrowseFilter filter, int limit, int offset) {
        String date = browseDate(filter);
        return page(TaskInstanceDao.COLUMNS, " FROM task_instance " + BROWSE_WHERE.replace("<date>", date)
                        + " AND (NOT :byType OR EXISTS (SELECT 1 FROM dag_run r WHERE r.id = task_instance.run_pk"
                        + " AND r.run_type = ANY(:runTypes)))",
                date + " DESC NULLS FIRST, id DESC", limit, offset, q -> bindBrowse(q, filter),
                TaskInstanceRecord.class);
    }

    private static String browseDate(BrowseFilter filter) {
        String date = filter.dateField() == null ? "logical_date" : filter.dateField();
        if (!BROWSE_DATES.contains(date)) {
            throw new IllegalArgumentException("unknown date field " + date);
        }
        return date;
    }

    private static void bindBrowse(Query q, BrowseFilter filter) {
        Range dates = filter.dates() == null ? Range.ANY : filter.dates();
        q.bind("byDag", filter.dagIds() != null).bind("dagIds", array(filter.dagIds()))
                .bind("byState", filter.states() != null).bind("states", array(filter.states()))
                .bind("byType", filter.runTypes() != null).bind("runTypes", array(filter.runTypes()))
                .bind("gte", dates.gte()).bind("lte", dates.lte());
    }
}
