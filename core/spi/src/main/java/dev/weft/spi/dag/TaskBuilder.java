package dev.weft.spi.dag;

import java.util.Map;

/** An operator task in the DSL, made by {@link DagBuilder#task}. */
public final class TaskBuilder extends AbstractTaskBuilder<TaskBuilder> {
    TaskBuilder(DagBuilder dag, String taskId, String type, Map<String, Object> params) {
        super(dag, taskId, type, params);
    }

    @Override
    SensorSettings sensorSettings() {
        return null;
    }
}
