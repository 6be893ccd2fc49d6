package dev.weft.engine.store;

import dev.weft.engine.template.PyDates;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Log lines per task try. A reschedule-mode sensor whose poke logs what its previous written poke logged has it
 * counted on its task instance instead of written (see {@link TryOutcome#logRepeats()}): a read that reaches the end
 * of such a try's log ends with {@link #repeatsLine}, and the line is written when the answers change or the try ends.
 */
public interface LogStore {
    record Line(long tiId, int tryNumber, Instant loggedAt, String text) {
    }

    /** The line that stands for {@code repeats} pokes that logged the same as the poke before them. */
    static String repeatsLine(int repeats, Instant lastAt) {
        return "INFO \u2026 the same answer " + repeats + (repeats == 1 ? " more time" : " more times")
                + ", the last at " + PyDates.isoformat(lastAt);
    }

    /** Lines read, the id of the last written one, and whether they reach the end of the try's log. */
    record Chunk(List<String> lines, long lastId, boolean atEnd) {
    }

    void append(Collection<Line> lines);

    /** Lines of a try after the line with id {@code afterId} (0 from the start), at most {@code limit}. */
    Chunk read(long tiId, int tryNumber, long afterId, int limit);
}
