package dev.weft.spi.dag;

import java.time.Duration;
import java.util.Map;

/** A sensor task in the DSL, made by {@link DagBuilder#sensor}; adds the sensor settings of {@link SensorSettings}. */
public final class SensorBuilder extends AbstractTaskBuilder<SensorBuilder> {
    private SensorMode mode = SensorMode.POKE;
    private Duration pokeInterval = SensorSettings.DEFAULT_POKE_INTERVAL;
    private Duration timeout = SensorSettings.DEFAULT_TIMEOUT;
    private boolean softFail;
    private boolean exponentialBackoff;
    private Duration maxWait;

    SensorBuilder(DagBuilder dag, String taskId, String type, Map<String, Object> params) {
        super(dag, taskId, type, params);
    }

    public SensorBuilder mode(SensorMode mode) {
        this.mode = mode;
        return this;
    }

    public SensorBuilder pokeInterval(Duration pokeInterval) {
        this.pokeInterval = pokeInterval;
        return this;
    }

    public SensorBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public SensorBuilder softFail(boolean softFail) {
        this.softFail = softFail;
        return this;
    }

    public SensorBuilder exponentialBackoff(boolean exponentialBackoff) {
        this.exponentialBackoff = exponentialBackoff;
        return this;
    }

    public SensorBuilder maxWait(Duration maxWait) {
        this.maxWait = maxWait;
        return this;
    }

    @Override
    SensorSettings sensorSettings() {
        return new SensorSettings(mode, pokeInterval, timeout, softFail, exponentialBackoff, maxWait);
    }
}
