package dev.weft.plugins.standard;

import java.util.List;
import java.util.Map;

/**
 * Params of {@code standard.short_circuit} (Airflow's ShortCircuitOperator): those of {@code standard.callable}, and
 * whether a falsy result skips every task downstream or only the direct ones.
 *
 * @param ignoreDownstreamTriggerRules true (default): skip every task downstream, whatever its trigger rule; false:
 *                                     skip the direct downstream tasks, the others follow their trigger rules
 */
public record ShortCircuitParams(String callable, Map<String, Object> opKwargs, List<Object> opArgs,
                                 Boolean ignoreDownstreamTriggerRules) {
    public ShortCircuitParams {
        CallableParams checked = new CallableParams(callable, opKwargs, opArgs);
        opKwargs = checked.opKwargs();
        opArgs = checked.opArgs();
        ignoreDownstreamTriggerRules = ignoreDownstreamTriggerRules == null || ignoreDownstreamTriggerRules;
    }

    CallableParams callableParams() {
        return new CallableParams(callable, opKwargs, opArgs);
    }
}
