package dev.weft.engine.executor;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.spi.OperatorResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tasks of the run a branching result skips (Airflow's {@code SkipMixin}); the write-back skips those still
 * waiting, in the transaction that writes the result. The tasks downstream of the skipped ones are left to their
 * trigger rules, except after a {@link OperatorResult.SkipAllDownstream}.
 */
final class DownstreamSkips {
    private DownstreamSkips() {
    }

    /**
     * The tasks {@code result} of task {@code taskId} skips: none for a plain success; for a branch, the direct
     * downstream tasks that are neither followed nor downstream of a followed task (Airflow's special case: a join
     * that hangs off the branch task as well as off a followed task runs); for a short-circuit, every task
     * downstream.
     *
     * @throws IllegalArgumentException when a branch follows a task id the DAG does not have, naming the ids (the
     *                                  try fails and its retries apply, as in Airflow)
     */
    static Set<String> of(CompiledDag dag, String taskId, OperatorResult result) {
        return switch (result) {
            case OperatorResult.Branch branch -> {
                List<String> unknown = new ArrayList<>(new TreeSet<>(branch.follow().stream()
                        .filter(id -> dag.task(id) == null).toList()));
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("the branch to follow names task(s) " + unknown + " that DAG '"
                            + dag.dagId() + "' does not have; the tasks downstream of '" + taskId + "' are "
                            + new TreeSet<>(dag.downstream(taskId)));
                }
                Set<String> kept = new HashSet<>(branch.follow());
                kept.addAll(dag.allDownstream(branch.follow()));
                Set<String> skip = new TreeSet<>(dag.downstream(taskId));
                skip.removeAll(kept);
                yield skip;
            }
            case OperatorResult.SkipAllDownstream ignored -> new TreeSet<>(dag.allDownstream(List.of(taskId)));
            case OperatorResult.Success ignored -> Set.of();
            case OperatorResult.Skipped ignored -> Set.of();
        };
    }
}
