package dev.weft.spi;

/** Declares an operator type and creates its instances. */
public non-sealed interface OperatorFactory<P> extends TaskTypeFactory<P> {
    Operator<P> create(PluginContext context);
}
