package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.store.SlotHolder;
import dev.weft.engine.store.TaskStateRow;
import dev.weft.spi.TaskState;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Row mappers of the rows the worker and the scheduler read per try and per task instance (a claimed try, a written
 * outcome, the states an examination reads, the queueing candidates). Jdbi's constructor mapper calls the record's
 * constructor through {@code MethodHandle.invokeWithArguments} and each column through a chain of column mappers: with
 * 100,000 waiting sensors that was a large part of the worker's time per re-poke. These read the columns straight.
 */
public final class TaskInstanceRows {
    private TaskInstanceRows() {
    }

    public static final class ClaimedTries implements RowMapper<ClaimedTry> {
        @Override
        public ClaimedTry map(ResultSet rs, StatementContext ctx) throws SQLException {
            String memo = rs.getString("sensor_memo");
            return new ClaimedTry(rs.getLong("id"), rs.getLong("run_pk"), rs.getString("dag_id"),
                    rs.getString("run_id"), rs.getString("task_id"), rs.getInt("try_number"), rs.getInt("max_tries"),
                    rs.getString("operator"), instant(rs, "start_date"), instant(rs, "first_poke_at"),
                    rs.getInt("poke_count"), memo == null ? null : Json.readObject(memo), rs.getString("log_digest"),
                    rs.getInt("log_repeats"), instant(rs, "last_reschedule_at"));
        }
    }

    public static final class StateRows implements RowMapper<TaskStateRow> {
        @Override
        public TaskStateRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TaskStateRow(rs.getLong("id"), rs.getLong("run_pk"), rs.getString("task_id"),
                    TaskState.fromWire(rs.getString("state")), rs.getInt("try_number"), rs.getInt("max_tries"));
        }
    }

    public static final class FinishedRows implements RowMapper<TaskInstanceDao.Finished> {
        @Override
        public TaskInstanceDao.Finished map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TaskInstanceDao.Finished(rs.getLong("id"), rs.getLong("run_pk"), rs.getInt("try_number"),
                    rs.getString("state"), rs.getString("dag_id"), rs.getString("task_id"));
        }
    }

    public static final class Candidates implements RowMapper<TaskInstanceDao.Candidate> {
        @Override
        public TaskInstanceDao.Candidate map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TaskInstanceDao.Candidate(rs.getLong("id"), rs.getString("dag_id"), rs.getString("pool"),
                    rs.getInt("pool_slots"), rs.getInt("max_active_tasks"));
        }
    }

    public static final class SlotHolders implements RowMapper<SlotHolder> {
        @Override
        public SlotHolder map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new SlotHolder(rs.getString("dag_id"), rs.getString("task_id"), rs.getString("pool"),
                    TaskState.fromWire(rs.getString("state")), rs.getInt("tasks"), rs.getInt("slots"));
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
