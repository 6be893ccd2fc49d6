package dev.weft.plugins.standard;

import dev.weft.spi.DefinitionContext;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;
import dev.weft.spi.TaskContext;

import java.util.Set;

/**
 * {@code standard.callable}: calls a public static Java method, Airflow's PythonOperator. Parameters typed
 * {@code TaskContext} get the task's context; the others get {@code op_args} in order, then {@code op_kwargs} by name.
 * The return value becomes the task's output; a returned {@link OperatorResult} is used as it is.
 */
public final class CallableOperatorFactory implements OperatorFactory<CallableParams> {
    public static final String TYPE = "standard.callable";
    private static final Set<String> TEMPLATED = Set.of("op_args", "op_kwargs");

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<CallableParams> paramsType() {
        return CallableParams.class;
    }

    @Override
    public String description() {
        return "Calls a public static Java method (Airflow's PythonOperator)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public void validate(CallableParams params, DefinitionContext context) {
        params.plan(context.dagClassLoader(), TaskContext.class);
    }


    @Override
    public Operator<CallableParams> create(PluginContext pluginContext) {
        return (params, context) -> {
            Callables.Plan plan = params.plan(context.dagClassLoader(), TaskContext.class);
            Object[] arguments = plan.arguments(params.opArgs(), params.opKwargs(), context);
            context.log().info("Calling {}", plan.target().signature());
            Object returned = Callables.invoke(plan.target(), arguments, context.dagClassLoader());
            if (returned instanceof OperatorResult result) {
                context.log().info("Done. Returned {}", result);
                return result;
            }
            Object output = Callables.toJson(returned);
            context.log().info("Done. Returned value was: {}", Callables.abbreviate(output));
            return OperatorResult.success(output);
        };
    }
}
