package dev.weft.engine.plugin;

import dev.weft.spi.NotifierFactory;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.PluginContext;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskTypeFactory;

import java.nio.file.Path;
import java.time.Clock;

/** An operator, sensor or notifier type as loaded: its factory and the plugin it came from. */
public record TaskType(TaskTypeFactory<?> factory, String pluginName, String pluginVersion, String source,
                       ClassLoader classLoader) {

    public String typeId() {
        return factory.typeId();
    }

    public boolean isSensor() {
        return factory instanceof SensorFactory<?>;
    }

    public boolean isNotifier() {
        return factory instanceof NotifierFactory<?>;
    }

    public NotifierFactory<?> notifierFactory() {
        return (NotifierFactory<?>) factory;
    }

    public OperatorFactory<?> operatorFactory() {
        return (OperatorFactory<?>) factory;
    }

    public SensorFactory<?> sensorFactory() {
        return (SensorFactory<?>) factory;
    }

    /** What this type's plugin is given: the engine's clock, and its own folder under {@code workDirectory}. */
    public PluginContext pluginContext(Path workDirectory, Clock clock) {
        Path dir = workDirectory.resolve(pluginName);
        return new PluginContext() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Path workDirectory() {
                return dir;
            }
        };
    }
}
