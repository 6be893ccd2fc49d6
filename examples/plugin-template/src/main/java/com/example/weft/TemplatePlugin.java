package com.example.weft;

import dev.weft.spi.OperatorFactory;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;

import java.util.List;

/**
 * The plugin's one entry point, listed in {@code META-INF/services/dev.weft.spi.Plugin}. Its name prefixes its type
 * ids; its version is the jar's {@code Implementation-Version} (see the pom).
 */
public final class TemplatePlugin implements Plugin {
    @Override
    public String name() {
        return "template";
    }

    @Override
    public List<OperatorFactory<?>> operators() {
        return List.of(new GreetOperatorFactory());
    }

    @Override
    public List<SensorFactory<?>> sensors() {
        return List.of(new WaitUntilSensorFactory());
    }
}
