package dev.weft.engine.plugin;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Plugin;
import dev.weft.spi.PluginContext;

import java.util.List;

/** Stands for a built-in plugin on Weft's own class path (as the standard plugin is in the server). */
public final class BuiltinTestPlugin implements Plugin {
    public record NoParams() {
    }

    @Override
    public String name() {
        return "builtin";
    }

    @Override
    public String version() {
        return "9.9";
    }

    @Override
    public List<OperatorFactory<?>> operators() {
        return List.of(new OperatorFactory<NoParams>() {
            @Override
            public String typeId() {
                return "builtin.noop";
            }

            @Override
            public Class<NoParams> paramsType() {
                return NoParams.class;
            }

            @Override
            public Operator<NoParams> create(PluginContext context) {
                return (p, ctx) -> OperatorResult.success();
            }
        });
    }
}
