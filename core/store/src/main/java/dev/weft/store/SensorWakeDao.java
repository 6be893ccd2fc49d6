package dev.weft.store;

import dev.weft.engine.store.SensorWakeStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

public interface SensorWakeDao extends SensorWakeStore {
    @Override
    default List<Long> wakeRescheduled(Collection<Long> ids, Instant now) {
        return ids.isEmpty() ? List.of() : wake(ids.stream().mapToLong(Long::longValue).toArray(), now);
    }

    // Compare-and-set on the state: a try that moved on (claimed again, cleared, finished) is left alone. The state
    // tests are written "(…) IS TRUE" so that the ids are looked up, not a partial index scanned (see TaskInstanceDao).
    @SqlQuery("""
            UPDATE task_instance SET next_attempt_at = :now, updated_at = :now
            WHERE id = ANY(:ids) AND (state = 'up_for_reschedule') IS TRUE AND next_attempt_at > :now
            RETURNING id""")
    List<Long> wake(@Bind("ids") long[] ids, @Bind("now") Instant now);

    @Override
    default List<Long> running(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : runningOf(ids.stream().mapToLong(Long::longValue).toArray());
    }

    @SqlQuery("SELECT id FROM task_instance WHERE id = ANY(:ids) AND (state = 'running') IS TRUE")
    List<Long> runningOf(@Bind("ids") long[] ids);
}
