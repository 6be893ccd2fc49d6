package dev.weft.engine.xcom;

import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.store.ClaimedTry;
import dev.weft.engine.template.XComSource;

import java.util.Optional;

/**
 * The XComs as one try sees them: it pushes its own and pulls those of the tasks of its run. What it writes remembers
 * the secrets of the try's {@link SecretMasker} it contains; what it pulls adds the secrets it remembers to that
 * masker (see {@link XComs}).
 */
public final class TryXComs implements XComSource {
    private final XComs xcoms;
    private final ClaimedTry claimed;
    private final SecretMasker masker;

    TryXComs(XComs xcoms, ClaimedTry claimed, SecretMasker masker) {
        this.xcoms = xcoms;
        this.claimed = claimed;
        this.masker = masker;
    }

    /**
     * Creates or replaces this try's XCom {@code key}.
     *
     * @throws IllegalArgumentException for a bad key, a null value or one over the size limit
     * @throws IllegalStateException    when the try is no longer running
     */
    public void push(String key, Object value) {
        xcoms.push(claimed, key, value, masker);
    }

    @Override
    public Optional<Object> pull(String taskId, String key) {
        return xcoms.pull(claimed.runPk(), taskId, key, masker);
    }

    /** The JSON of this try's return value, within the size limit; the secrets it contains are recorded first. */
    public String returnValueJson(Object value) {
        return xcoms.returnValueJson(claimed, value, masker);
    }
}
