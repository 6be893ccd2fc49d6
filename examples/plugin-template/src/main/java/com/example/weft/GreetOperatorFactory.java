package com.example.weft;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;

/** {@code template.greet}: logs a greeting and returns it as the task's output. */
public final class GreetOperatorFactory implements OperatorFactory<GreetOperatorFactory.Params> {

    /**
     * Bound from the task's params after templates are rendered: {@code name} is required, {@code greeting} defaults
     * to "Hello". A snake_case param {@code some_name} binds to a component {@code someName}.
     */
    public record Params(String name, String greeting) {
        public Params {
            if (name == null || name.isBlank()) {
                throw new InvalidParamsException("name", "is required: who to greet");
            }
            greeting = greeting == null ? "Hello" : greeting;
        }
    }

    @Override
    public String typeId() {
        return "template.greet";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Operator<Params> create(PluginContext context) {
        return (params, ctx) -> {
            String text = params.greeting() + ", " + params.name() + "!";
            ctx.log().info("{}", text);        // goes to this try's log
            return OperatorResult.success(text); // a JSON-like value, stored as the task's output
        };
    }
}
