package dev.weft.store;

import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every scheduler reads every few seconds (lost workers' tries, the slots held) and a metrics scrape reads (the
 * waiting sensors) reads the active task instances through their partial indexes, however long the history beside
 * them: a plan that scans task_instance costs time in proportion to every task that ever ran.
 */
class HousekeepingReadsTest {

    @Test
    void housekeepingReadsDoNotScanTheHistory() throws Exception {
        try (TestDatabase db = TestDatabase.create();
             Connection c = DriverManager.getConnection(db.url());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO dag (dag_id, spec, spec_hash, is_paused, max_active_tasks, max_active_runs)"
                    + " VALUES ('history', '{}', 'h', false, 16, 16)");
            s.execute("INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, state, external_trigger)"
                    + " SELECT 'history', 'r' || g, 'manual', now() - g * interval '1 minute',"
                    + " CASE WHEN g <= 5 THEN 'running' ELSE 'success' END, true FROM generate_series(1, 2000) g");
            // 50,000 finished tries, and a few of each active state in the five running runs.
            s.execute("INSERT INTO task_instance (run_pk, dag_id, run_id, task_id, state, max_tries, priority_weight,"
                    + " pool, pool_slots, operator, logical_date, worker_id, next_attempt_at)"
                    + " SELECT r.id, 'history', r.run_id, 't' || g, CASE WHEN r.state = 'success' THEN 'success'"
                    + " ELSE (ARRAY['scheduled', 'queued', 'running', 'restarting', 'up_for_reschedule'])[1 + g % 5]"
                    + " END, 1, 1, 'default_pool', 1, 'x', r.logical_date, 'w1', now() - interval '1 s'"
                    + " FROM dag_run r, generate_series(1, 25) g");
            s.execute("ANALYZE task_instance");

            // The plan PostgreSQL keeps for a prepared statement after five runs: made for any value of its
            // parameters, it can use a partial index only where the statement itself implies the index's predicate.
            s.execute("SET plan_cache_mode = force_generic_plan");
            for (String method : new String[]{"slotHolders", "heldByLostWorkers", "countWaitingReschedules"}) {
                var declared = java.util.Arrays.stream(TaskInstanceDao.class.getMethods())
                        .filter(m -> m.getName().equals(method) && m.isAnnotationPresent(SqlQuery.class)).findFirst()
                        .orElseThrow();
                String sql = declared.getAnnotation(SqlQuery.class).value().replaceAll(":(now|before)", "\\$1");
                boolean bound = sql.contains("$1");
                s.execute("PREPARE housekeeping" + (bound ? "(timestamptz)" : "") + " AS " + sql);
                try (ResultSet plan = s.executeQuery("EXPLAIN EXECUTE housekeeping" + (bound ? "(now())" : ""))) {
                    StringBuilder text = new StringBuilder();
                    while (plan.next()) {
                        text.append(plan.getString(1)).append('\n');
                    }
                    assertThat(text.toString()).as(method + "'s plan").doesNotContain("Seq Scan on task_instance");
                } finally {
                    s.execute("DEALLOCATE housekeeping");
                }
            }
        }
    }
}
