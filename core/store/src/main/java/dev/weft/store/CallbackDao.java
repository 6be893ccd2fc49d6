package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.CallbackStore;
import dev.weft.spi.dag.Callback;
import dev.weft.spi.dag.Callbacks;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

@RegisterRowMapper(CallbackDao.RequestMapper.class)
public interface CallbackDao extends CallbackStore {
    @Override
    default void add(Collection<CallbackRequest> requests, Instant now) {
        for (CallbackRequest r : requests) {
            insert(r.runPk(), r.tiId(), r.tryNumber(), r.dagId(), r.runId(), r.taskId(), r.event().wireName(),
                    r.state(), r.error(), Json.write(r.callbacks()), now);
        }
    }

    @SqlUpdate("""
            INSERT INTO callback_request (run_pk, ti_id, try_number, dag_id, run_id, task_id, event, state, error,
                callbacks, created_at)
            VALUES (:runPk, :tiId, :try, :dagId, :runId, :taskId, :event, :state, :error, CAST(:callbacks AS JSONB),
                :now)""")
    void insert(@Bind("runPk") long runPk, @Bind("tiId") Long tiId, @Bind("try") int tryNumber,
                @Bind("dagId") String dagId, @Bind("runId") String runId, @Bind("taskId") String taskId,
                @Bind("event") String event, @Bind("state") String state, @Bind("error") String error,
                @Bind("callbacks") String callbacks, @Bind("now") Instant now);

    // SKIP LOCKED: two workers claiming at once take different requests instead of waiting for each other.
    @Override
    @SqlQuery("""
            UPDATE callback_request SET claimed_by = :owner, claimed_until = :until
            WHERE id IN (SELECT id FROM callback_request
                         WHERE claimed_until IS NULL OR claimed_until < :now
                         ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id, run_pk, ti_id, try_number, dag_id, run_id, task_id, event, state, error, callbacks""")
    List<CallbackRequest> claim(@Bind("owner") String owner, @Bind("limit") int limit, @Bind("now") Instant now,
                                @Bind("until") Instant leaseUntil);

    @Override
    @SqlUpdate("DELETE FROM callback_request WHERE id = :id AND claimed_by = :owner")
    void done(@Bind("id") long id, @Bind("owner") String owner);

    final class RequestMapper implements RowMapper<CallbackRequest> {
        @Override
        public CallbackRequest map(ResultSet rs, StatementContext ctx) throws SQLException {
            long tiId = rs.getLong("ti_id");
            Long task = rs.wasNull() ? null : tiId;
            return new CallbackRequest(rs.getLong("id"), rs.getLong("run_pk"), task,
                    rs.getInt("try_number"), rs.getString("dag_id"), rs.getString("run_id"), rs.getString("task_id"),
                    Callbacks.Event.valueOf(rs.getString("event").toUpperCase(Locale.ROOT)), rs.getString("state"),
                    rs.getString("error"), List.of(Json.read(rs.getString("callbacks"), Callback[].class)));
        }
    }
}
