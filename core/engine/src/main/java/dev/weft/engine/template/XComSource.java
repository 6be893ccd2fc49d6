package dev.weft.engine.template;

import java.util.Optional;

/** Where {@code ti.xcom_pull(...)} in a template reads XComs from: the run of the task being rendered. */
@FunctionalInterface
public interface XComSource {
    /** A source with no XComs: every pull finds nothing. */
    XComSource NONE = (taskId, key) -> Optional.empty();

    /** The value (parsed JSON) of the XCom {@code key} of task {@code taskId} in this run. */
    Optional<Object> pull(String taskId, String key);
}
