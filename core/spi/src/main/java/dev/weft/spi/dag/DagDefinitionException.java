package dev.weft.spi.dag;

import java.util.List;

/** A DAG definition that cannot be built; {@link #problems()} names every culprit found. */
public class DagDefinitionException extends RuntimeException {
    private final String dagId;
    private final List<String> problems;

    public DagDefinitionException(String dagId, List<String> problems) {
        super("DAG '" + dagId + "' is invalid: " + String.join("; ", problems));
        this.dagId = dagId;
        this.problems = List.copyOf(problems);
    }

    public String dagId() {
        return dagId;
    }

    public List<String> problems() {
        return problems;
    }
}
