package dev.weft.plugins.standard;

import dev.weft.spi.DefinitionContext;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.TaskContext;

import java.util.Set;

/** What the operators that call one Java method with {@link CallableParams} share: templating and load checks. */
abstract class CallableOperatorType implements OperatorFactory<CallableParams> {
    private static final Set<String> TEMPLATED = Set.of("op_args", "op_kwargs");

    @Override
    public Class<CallableParams> paramsType() {
        return CallableParams.class;
    }

    @Override
    public boolean isTemplated(String paramName) {
        return TEMPLATED.contains(paramName);
    }

    @Override
    public void validate(CallableParams params, DefinitionContext context) {
        params.plan(context.dagClassLoader(), TaskContext.class);
    }
}
