package dev.weft.plugins.standard;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code standard.branch}: calls a public static Java method that returns the task id(s) to follow, Airflow's
 * BranchPythonOperator. The engine skips the other direct downstream tasks; the returned value is the task's output.
 */
public final class BranchOperatorFactory extends CallableOperatorType {
    public static final String TYPE = "standard.branch";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Follows the task id(s) a public static Java method returns, skipping the other direct downstream"
                + " tasks (Airflow's BranchPythonOperator)";
    }

    @Override
    public Operator<CallableParams> create(PluginContext pluginContext) {
        return (params, context) -> {
            Object returned = Callables.toJson(params.call(context));
            Set<String> follow = taskIds(returned);
            context.log().info("Following branch {}", follow);
            return OperatorResult.branch(returned, follow);
        };
    }

    /** What a branch callable may return: a task id, a list of them, or null (follow none), as in Airflow. */
    static Set<String> taskIds(Object returned) {
        if (returned == null) {
            return Set.of();
        }
        if (returned instanceof String id) {
            return Set.of(id);
        }
        if (returned instanceof List<?> list) {
            Set<String> ids = new LinkedHashSet<>();
            List<Object> invalid = new ArrayList<>();
            for (Object x : list) {
                if (x instanceof String id) {
                    ids.add(id);
                } else {
                    invalid.add(x);
                }
            }
            if (invalid.isEmpty()) {
                return ids;
            }
            throw new IllegalArgumentException("the branch callable must return task ids as strings, but returned "
                    + "these other values: " + invalid);
        }
        throw new IllegalArgumentException("the branch callable must return a task id, a list of task ids or null,"
                + " but returned " + Callables.abbreviate(returned));
    }
}
