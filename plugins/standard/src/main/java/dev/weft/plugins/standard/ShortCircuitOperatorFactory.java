package dev.weft.plugins.standard;

import dev.weft.spi.DefinitionContext;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;
import dev.weft.spi.TaskContext;

import java.util.Set;

/**
 * {@code standard.short_circuit}: calls a public static Java method; when it returns a falsy value, the tasks
 * downstream are skipped (Airflow's ShortCircuitOperator). The returned value is the task's output either way.
 */
public final class ShortCircuitOperatorFactory implements OperatorFactory<ShortCircuitParams> {
    public static final String TYPE = "standard.short_circuit";
    private static final Set<String> TEMPLATED = Set.of("op_args", "op_kwargs");

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<ShortCircuitParams> paramsType() {
        return ShortCircuitParams.class;
    }

    @Override
    public String description() {
        return "Skips the tasks downstream when a public static Java method returns a falsy value"
                + " (Airflow's ShortCircuitOperator)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public void validate(ShortCircuitParams params, DefinitionContext context) {
        params.callableParams().plan(context.dagClassLoader(), TaskContext.class);
    }

    @Override
    public Operator<ShortCircuitParams> create(PluginContext pluginContext) {
        return (params, context) -> {
            Object returned = params.callableParams().call(context);
            Object output = Callables.toJson(returned);
            context.log().info("Condition result is {}", Callables.abbreviate(output));
            if (CallableSensorFactory.isTruthy(returned)) {
                context.log().info("Proceeding with downstream tasks...");
                return OperatorResult.success(output);
            }
            if (params.ignoreDownstreamTriggerRules()) {
                context.log().info("Skipping all downstream tasks...");
                return OperatorResult.skipAllDownstream(output);
            }
            context.log().info("Skipping downstream tasks while respecting trigger rules...");
            return OperatorResult.branch(output, Set.of());
        };
    }
}
