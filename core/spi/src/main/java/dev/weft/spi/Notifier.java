package dev.weft.spi;

/**
 * Sends a notification for a callback (Airflow's notifiers: Slack, e-mail, ...). Throwing is logged and changes
 * nothing else: the state the callback is for is already written.
 */
@FunctionalInterface
public interface Notifier<P> {
    void notify(P params, CallbackContext context) throws Exception;
}
