package dev.weft.spi;

/** Declares a sensor type and creates its instances. */
public non-sealed interface SensorFactory<P> extends TaskTypeFactory<P> {
    Sensor<P> create(PluginContext context);
}
