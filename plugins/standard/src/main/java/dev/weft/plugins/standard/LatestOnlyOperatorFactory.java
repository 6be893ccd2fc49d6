package dev.weft.plugins.standard;

import dev.weft.spi.DataInterval;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.PluginContext;
import dev.weft.spi.RunType;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code standard.latest_only}: lets the tasks downstream run only in the run of the latest schedule interval, and in
 * manual runs (Airflow's LatestOnlyOperator, for which a triggered run is "externally triggered"). In any other run
 * (a scheduled run caught up late, a backfill) its direct downstream tasks are skipped. Like {@code standard.empty},
 * it takes no params.
 */
public final class LatestOnlyOperatorFactory implements OperatorFactory<EmptyOperatorFactory.Params> {
    public static final String TYPE = "standard.latest_only";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<EmptyOperatorFactory.Params> paramsType() {
        return EmptyOperatorFactory.Params.class;
    }

    @Override
    public String description() {
        return "Skips the direct downstream tasks unless the run is the latest scheduled one or manual"
                + " (Airflow's LatestOnlyOperator)";
    }

    @Override
    public Operator<EmptyOperatorFactory.Params> create(PluginContext pluginContext) {
        return (params, context) -> {
            if (context.runType() == RunType.MANUAL) {
                context.log().info("Externally triggered DAG run: allowing execution to proceed.");
                return OperatorResult.success();
            }
            Optional<DataInterval> next = context.nextDataInterval();
            if (next.isEmpty()) {
                context.log().info("Last scheduled execution: allowing execution to proceed.");
                return OperatorResult.success();
            }
            Instant left = next.get().start();
            Instant right = next.get().end();
            Instant now = context.clock().instant();
            context.log().info("Checking latest only with left_window: {} right_window: {} now: {}", left, right, now);
            if (left.isBefore(now) && !now.isAfter(right)) {
                context.log().info("Latest, allowing execution to proceed.");
                return OperatorResult.success();
            }
            context.log().info("Not latest execution, skipping downstream.");
            return OperatorResult.branch(null, Set.of());
        };
    }
}
