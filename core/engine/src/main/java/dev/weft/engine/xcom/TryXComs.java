package dev.weft.engine.xcom;

import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.template.XComSource;

import java.util.Optional;

/** The XComs as one try sees them: it pushes its own and pulls those of the tasks of its run. */
public final class TryXComs implements XComSource {
    private final XComs xcoms;
    private final ClaimedTry claimed;

    TryXComs(XComs xcoms, ClaimedTry claimed) {
        this.xcoms = xcoms;
        this.claimed = claimed;
    }

    /**
     * Creates or replaces this try's XCom {@code key}.
     *
     * @throws IllegalArgumentException for a bad key, a null value or one over the size limit
     * @throws IllegalStateException    when the try is no longer running
     */
    public void push(String key, Object value) {
        xcoms.push(claimed, key, value);
    }

    @Override
    public Optional<Object> pull(String taskId, String key) {
        return xcoms.pull(claimed.runPk(), taskId, key);
    }

    /** The JSON of this try's return value, within the size limit. */
    public String returnValueJson(Object value) {
        return xcoms.returnValueJson(claimed.taskId(), value);
    }
}
