package dev.weft.plugins.standard;

import dev.weft.spi.DefinitionContext;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorContext;
import dev.weft.spi.SensorFactory;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.BaseStream;

/**
 * {@code standard.callable_sensor}: pokes by calling a public static Java method, Airflow's PythonSensor. The
 * parameters are filled as for {@code standard.callable} ({@code SensorContext} parameters are allowed too). The
 * result counts as "ready" by Python's truthiness: {@code null}, {@code false}, {@code 0}, {@code ""}, an empty
 * collection, map, array, {@code Optional}, stream or iterator mean "not yet"; anything else means ready. A returned
 * {@link PokeResult} is used as it is.
 */
public final class CallableSensorFactory implements SensorFactory<CallableParams> {
    public static final String TYPE = "standard.callable_sensor";
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
        return "Waits until a public static Java method returns a truthy value (Airflow's PythonSensor)";
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public void validate(CallableParams params, DefinitionContext context) {
        params.plan(context.dagClassLoader(), SensorContext.class);
    }


    @Override
    public Sensor<CallableParams> create(PluginContext pluginContext) {
        return (params, context) -> {
            Callables.Plan plan = params.plan(context.dagClassLoader(), SensorContext.class);
            Object[] arguments = plan.arguments(params.opArgs(), params.opKwargs(), context);
            context.log().info("Poking callable {}", plan.target().signature());
            Object returned = Callables.invoke(plan.target(), arguments, context.dagClassLoader());
            if (returned instanceof PokeResult result) {
                context.log().info("Callable returned {}", result);
                return result;
            }
            String shown = returned instanceof BaseStream<?, ?> || returned instanceof Iterator<?>
                    ? "a " + returned.getClass().getSimpleName() : Callables.abbreviate(Callables.toJson(returned));
            boolean ready = isTruthy(returned);
            context.log().info("Callable returned {} ({})", shown, ready ? "ready" : "not yet");
            return ready ? PokeResult.ready() : PokeResult.notYet(plan.target().name() + " returned " + shown);
        };
    }

    /** Python's truthiness for a Java value (a lazy stream or iterator is consumed far enough to see one element). */
    static boolean isTruthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence s) {
            return !s.isEmpty();
        }
        if (value instanceof Character) {
            return true;
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof Optional<?> o) {
            return o.isPresent();
        }
        if (value.getClass().isArray()) {
            return Array.getLength(value) > 0;
        }
        if (value instanceof BaseStream<?, ?> s) {
            try (s) {
                return s.iterator().hasNext();
            }
        }
        if (value instanceof Iterator<?> it) {
            return it.hasNext();
        }
        return true;
    }
}
