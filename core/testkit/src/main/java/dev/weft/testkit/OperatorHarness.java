package dev.weft.testkit;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;

import java.util.Map;

/**
 * Runs an operator the way the engine does: binds and validates the params ({@link PluginHarness#bind}), creates the
 * operator with a {@link TestPluginContext} (the context's clock, a temporary work directory) and executes it.
 *
 * <pre>{@code
 * OperatorResult r = OperatorHarness.execute(new ShellOperatorFactory(), Map.of("command", "echo hi"), ctx);
 * }</pre>
 */
public final class OperatorHarness<P> {
    private final P params;
    private final Operator<P> operator;
    private final TestTaskContext context;
    private final PluginContext pluginContext;

    private OperatorHarness(OperatorFactory<P> factory, Map<String, ?> params, TestTaskContext context) {
        this.context = context;
        this.params = PluginHarness.bind(factory, params, context);
        this.pluginContext = TestPluginContext.temporary(context.clock());
        this.operator = factory.create(pluginContext);
    }

    /** Binds and validates the params and creates the operator; throws as a DAG load would on bad params. */
    public static <P> OperatorHarness<P> of(OperatorFactory<P> factory, Map<String, ?> params, TestTaskContext context) {
        return new OperatorHarness<>(factory, params, context);
    }

    /** Binds, validates, creates and executes once. */
    public static <P> OperatorResult execute(OperatorFactory<P> factory, Map<String, ?> params,
                                             TestTaskContext context) throws Exception {
        return of(factory, params, context).execute();
    }

    /** Executes the operator once; its output must be JSON-like. Exceptions are the operator's own. */
    public OperatorResult execute() throws Exception {
        OperatorResult result = operator.execute(params, context);
        if (result == null) {
            throw new IllegalStateException("the operator returned null; return OperatorResult.success() instead");
        }
        switch (result) {
            case OperatorResult.Success s -> PluginHarness.requireJsonOutput(s.output());
            case OperatorResult.Branch b -> PluginHarness.requireJsonOutput(b.output());
            case OperatorResult.SkipAllDownstream s -> PluginHarness.requireJsonOutput(s.output());
            case OperatorResult.Skipped s -> {
            }
        }
        return result;
    }

    public P params() {
        return params;
    }

    public TestTaskContext context() {
        return context;
    }

    public PluginContext pluginContext() {
        return pluginContext;
    }
}
