package dev.weft.spi.dag;

import java.util.Map;

/**
 * What runs when a task or a run reaches a state (Airflow's {@code on_failure_callback} and friends): either a public
 * static method of the DAG's code, or a notifier of a plugin with its params. Exactly one of {@code callable} and
 * {@code type} is set.
 *
 * @param callable a public static method written {@code com.acme.Alerts::taskFailed}, taking a
 *                 {@link dev.weft.spi.CallbackContext} or nothing; loaded from the DAG's class loader
 * @param type     a notifier type id, e.g. {@code http.webhook}
 * @param params   the notifier's params (templates rendered when the callback runs); empty for a callable
 */
public record Callback(String callable, String type, Map<String, Object> params) {
    public Callback {
        boolean hasCallable = callable != null && !callable.isBlank();
        boolean hasType = type != null && !type.isBlank();
        if (hasCallable == hasType) {
            throw new IllegalArgumentException(hasCallable
                    ? "a callback is either a callable (Class::method) or a notifier type, not both"
                    : "a callback needs a callable (Class::method) or a notifier type");
        }
        if (hasCallable && params != null && !params.isEmpty()) {
            throw new IllegalArgumentException("callback " + callable + " is a callable: params are for notifiers");
        }
        params = params == null ? Map.of() : JsonValues.immutableCopy(params);
    }

    /** Calls {@code owner.method}, a public static method taking a {@code CallbackContext} or nothing. */
    public static Callback callable(Class<?> owner, String method) {
        return callable(owner.getName() + "::" + method);
    }

    /** Calls the method written {@code "com.acme.Alerts::taskFailed"}. */
    public static Callback callable(String reference) {
        return new Callback(reference, null, null);
    }

    /** Runs the notifier of type {@code type} (e.g. {@code http.webhook}) with {@code params}. */
    public static Callback notifier(String type, Map<String, ?> params) {
        return new Callback(null, type, JsonValues.immutableCopy(params));
    }

    /** How the callback is named in logs: its method or its notifier type. */
    public String name() {
        return callable != null ? callable : type;
    }
}
