package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.TaskContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Params of {@code standard.callable} and {@code standard.callable_sensor} (Airflow's PythonOperator and
 * PythonSensor).
 *
 * @param callable the public static method to call, {@code "com.acme.Checks::dataArrived"}, loaded from the DAG's
 *                 class loader (required)
 * @param opKwargs values for the method's parameters by name ({@code op_kwargs}, default none)
 * @param opArgs   values for its first parameters in order ({@code op_args}, default none)
 */
public record CallableParams(String callable, Map<String, Object> opKwargs, List<Object> opArgs) {
    public CallableParams {
        if (callable == null || callable.isBlank()) {
            throw new InvalidParamsException("callable", "is required: a public static method written Class::method, e.g. "
                    + Callables.EXAMPLE);
        }
        opKwargs = opKwargs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(opKwargs));
        opArgs = opArgs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(opArgs));
    }

    /** Resolves the callable with {@code loader} and matches its parameters to these args; context parameters may
     *  be of {@code contextType}. Shared by the callable operator and sensor. */
    Callables.Plan plan(ClassLoader loader, Class<? extends TaskContext> contextType) {
        Callables.Target target = Callables.resolve("callable", callable, loader);
        return Callables.plan(target, "op_args", "op_kwargs", opArgs.size(), opKwargs.keySet(), contextType);
    }

    /** Calls the callable for an operator's try, logging the call; returns what it returned. */
    Object call(TaskContext context) throws Exception {
        Callables.Plan plan = plan(context.dagClassLoader(), TaskContext.class);
        Object[] arguments = plan.arguments(opArgs, opKwargs, context);
        context.log().info("Calling {}", plan.target().signature());
        return Callables.invoke(plan.target(), arguments, context.dagClassLoader());
    }
}
