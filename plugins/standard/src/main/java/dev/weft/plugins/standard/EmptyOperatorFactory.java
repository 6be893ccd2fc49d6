package dev.weft.plugins.standard;

import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;

/** {@code standard.empty}: succeeds doing nothing (Airflow's EmptyOperator, formerly DummyOperator). */
public final class EmptyOperatorFactory implements OperatorFactory<EmptyOperatorFactory.Params> {
    public static final String TYPE = "standard.empty";

    /** It takes no params. */
    public record Params() {
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Does nothing and succeeds (Airflow's EmptyOperator)";
    }

    @Override
    public Operator<Params> create(PluginContext context) {
        return (params, ctx) -> OperatorResult.success();
    }
}
