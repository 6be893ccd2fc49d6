package dev.weft.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Log lines per task try. */
public interface LogStore {
    record Line(long tiId, int tryNumber, Instant loggedAt, String text) {
    }

    record Chunk(List<String> lines, long lastId) {
    }

    void append(Collection<Line> lines);

    /** Lines of a try after the line with id {@code afterId} (0 from the start), at most {@code limit}. */
    Chunk read(long tiId, int tryNumber, long afterId, int limit);
}
