package dev.weft.store;

import dev.weft.engine.store.LogStore;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

public interface LogDao extends LogStore {
    @Override
    default void append(Collection<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        append(lines.stream().mapToLong(Line::tiId).toArray(), lines.stream().mapToInt(Line::tryNumber).toArray(),
                lines.stream().map(Line::loggedAt).toArray(Instant[]::new),
                lines.stream().map(Line::text).toArray(String[]::new));
    }

    @SqlUpdate("""
            INSERT INTO task_log (ti_id, try_number, logged_at, line)
            SELECT * FROM unnest(:ids, :tries, :times, :lines)""")
    void append(@Bind("ids") long[] tiIds, @Bind("tries") int[] tries, @Bind("times") Instant[] times,
                @Bind("lines") String[] lines);

    record Row(long id, String line) {
    }

    @Override
    default Chunk read(long tiId, int tryNumber, long afterId, int limit) {
        List<String> lines = new ArrayList<>();
        long last = afterId;
        for (Row row : rows(tiId, tryNumber, afterId, limit)) {
            lines.add(row.line());
            last = row.id();
        }
        boolean atEnd = lines.size() < limit;
        if (atEnd) {
            // The end of the written lines: the identical answers counted since, if any, as their line.
            repeatedAnswers(tiId, tryNumber).ifPresent(r -> lines.add(LogStore.repeatsLine(r.repeats(), r.lastAt())));
        }
        return new Chunk(lines, last, atEnd);
    }

    record Repeats(int repeats, Instant lastAt) {
    }

    @SqlQuery("SELECT log_repeats AS repeats, last_reschedule_at AS last_at FROM task_instance"
            + " WHERE id = :tiId AND try_number = :try AND log_repeats > 0")
    java.util.Optional<Repeats> repeatedAnswers(@Bind("tiId") long tiId, @Bind("try") int tryNumber);

    @SqlQuery("SELECT id, line FROM task_log WHERE ti_id = :tiId AND try_number = :try AND id > :after"
            + " ORDER BY id LIMIT :limit")
    List<Row> rows(@Bind("tiId") long tiId, @Bind("try") int tryNumber, @Bind("after") long afterId,
                   @Bind("limit") int limit);
}
