package dev.weft.testkit;

import dev.weft.engine.params.ParamsBinder;
import dev.weft.spi.DefinitionContext;
import dev.weft.spi.TaskContext;
import dev.weft.spi.TaskTypeFactory;
import dev.weft.spi.dag.JsonValues;

import java.util.HashMap;
import java.util.Map;

/**
 * What the engine does with a task's params before running it, for tests: binds them with {@link ParamsBinder}
 * (snake_case keys, durations as seconds or ISO-8601) and calls the factory's {@code validate}. Templates are not
 * rendered: pass the values as the engine would have rendered them. {@link OperatorHarness} and
 * {@link SensorHarness} build on this.
 */
public final class PluginHarness {
    private PluginHarness() {
    }

    /**
     * Binds {@code params} to the factory's params type and validates them as a DAG load would.
     *
     * @throws dev.weft.spi.InvalidParamsException naming the field, as the engine would report it
     */
    public static <P> P bind(TaskTypeFactory<P> factory, Map<String, ?> params, TaskContext context) {
        Map<String, Object> json = JsonValues.immutableCopy(params == null ? Map.of() : params);
        P bound = ParamsBinder.bind(json, factory.paramsType());
        factory.validate(bound, definitionContext(context));
        return bound;
    }

    /** The {@link DefinitionContext} of the context's DAG and task, with its DAG class loader. */
    public static DefinitionContext definitionContext(TaskContext context) {
        return definitionContext(context.taskKey().dagId(), context.taskKey().taskId(), context.dagClassLoader());
    }

    public static DefinitionContext definitionContext(String dagId, String taskId, ClassLoader dagClassLoader) {
        return new DefinitionContext() {
            @Override
            public String dagId() {
                return dagId;
            }

            @Override
            public String taskId() {
                return taskId;
            }

            @Override
            public ClassLoader dagClassLoader() {
                return dagClassLoader;
            }

            @Override
            public String toString() {
                return "DefinitionContext[" + dagId + "/" + taskId + "]";
            }
        };
    }

    /**
     * Fails when {@code output} is not a JSON-like value (null, string, number, boolean, or lists and string-keyed
     * maps of those), which the engine could not store as a task's output.
     */
    static Object requireJsonOutput(Object output) {
        Map<String, Object> wrapper = new HashMap<>();
        wrapper.put("output", output);
        try {
            JsonValues.immutableCopy(wrapper);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the task's output cannot be stored: " + e.getMessage(), e);
        }
        return output;
    }
}
