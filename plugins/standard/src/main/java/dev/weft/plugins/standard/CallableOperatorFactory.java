package dev.weft.plugins.standard;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;

/**
 * {@code standard.callable}: calls a public static Java method, Airflow's PythonOperator. Parameters typed
 * {@code TaskContext} get the task's context; the others get {@code op_args} in order, then {@code op_kwargs} by name.
 * The return value becomes the task's output; a returned {@link OperatorResult} is used as it is.
 */
public final class CallableOperatorFactory extends CallableOperatorType {
    public static final String TYPE = "standard.callable";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Calls a public static Java method (Airflow's PythonOperator)";
    }

    @Override
    public Operator<CallableParams> create(PluginContext pluginContext) {
        return (params, context) -> {
            Object returned = params.call(context);
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
