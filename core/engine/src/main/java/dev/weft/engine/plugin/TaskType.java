package dev.weft.engine.plugin;

import dev.weft.spi.OperatorFactory;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskTypeFactory;

/** An operator or sensor type as loaded: its factory and the plugin it came from. */
public record TaskType(TaskTypeFactory<?> factory, String pluginName, String pluginVersion, String source,
                       ClassLoader classLoader) {

    public String typeId() {
        return factory.typeId();
    }

    public boolean isSensor() {
        return factory instanceof SensorFactory<?>;
    }

    public OperatorFactory<?> operatorFactory() {
        return (OperatorFactory<?>) factory;
    }

    public SensorFactory<?> sensorFactory() {
        return (SensorFactory<?>) factory;
    }
}
