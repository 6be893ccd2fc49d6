package dev.weft.spi;

/**
 * Declares a notifier type, usable as a task's or a DAG's callback ({@code on_failure_callback: {type:
 * http.webhook, params: {...}}}), and creates its instances. Params are rendered (templates such as
 * {@code {{ exception }}}) and bound when the callback runs, and checked by {@link #validate} when the DAG loads.
 */
public non-sealed interface NotifierFactory<P> extends TaskTypeFactory<P> {
    Notifier<P> create(PluginContext context);
}
