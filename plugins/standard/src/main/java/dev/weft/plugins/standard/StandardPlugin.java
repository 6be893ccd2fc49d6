package dev.weft.plugins.standard;

import dev.weft.spi.NotifierFactory;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;

import java.util.List;

/**
 * The built-in operators, sensors and notifiers, loaded through {@link java.util.ServiceLoader} like any other plugin. DAG
 * authors use them through the {@link Standard} DSL.
 */
public final class StandardPlugin implements Plugin {
    @Override
    public String name() {
        return "standard";
    }

    @Override
    public List<OperatorFactory<?>> operators() {
        return List.of(new EmptyOperatorFactory(), new CallableOperatorFactory(), new ShellOperatorFactory(),
                new BranchOperatorFactory(), new ShortCircuitOperatorFactory(), new LatestOnlyOperatorFactory());
    }

    @Override
    public List<SensorFactory<?>> sensors() {
        return List.of(new FileSensorFactory(), new CallableSensorFactory(), new ExternalTaskSensorFactory(),
                new TriggerDagRunFactory(), new ShellSensorFactory());
    }

    @Override
    public List<NotifierFactory<?>> notifiers() {
        return List.of(new EmailNotifierFactory());
    }
}
