package dev.weft.spi.dag;

import java.util.List;

/**
 * The callbacks of a task, or of a DAG's runs, by event. A task's failure callbacks run when a try fails for good,
 * its retry callbacks when a try fails and will be retried, its success callbacks when it succeeds; a DAG's run when
 * a run fails or succeeds (a DAG has no retry callbacks).
 */
public record Callbacks(List<Callback> onSuccess, List<Callback> onFailure, List<Callback> onRetry) {
    public static final Callbacks NONE = new Callbacks(List.of(), List.of(), List.of());

    /** Airflow's names of the events, as in DAG files and logs. */
    public enum Event {
        ON_SUCCESS_CALLBACK, ON_FAILURE_CALLBACK, ON_RETRY_CALLBACK;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Callbacks {
        onSuccess = onSuccess == null ? List.of() : List.copyOf(onSuccess);
        onFailure = onFailure == null ? List.of() : List.copyOf(onFailure);
        onRetry = onRetry == null ? List.of() : List.copyOf(onRetry);
    }

    public List<Callback> of(Event event) {
        return switch (event) {
            case ON_SUCCESS_CALLBACK -> onSuccess;
            case ON_FAILURE_CALLBACK -> onFailure;
            case ON_RETRY_CALLBACK -> onRetry;
        };
    }

    /** These callbacks with {@code event}'s replaced by {@code callbacks}. */
    public Callbacks with(Event event, List<Callback> callbacks) {
        return new Callbacks(event == Event.ON_SUCCESS_CALLBACK ? callbacks : onSuccess,
                event == Event.ON_FAILURE_CALLBACK ? callbacks : onFailure,
                event == Event.ON_RETRY_CALLBACK ? callbacks : onRetry);
    }

    public boolean isEmpty() {
        return onSuccess.isEmpty() && onFailure.isEmpty() && onRetry.isEmpty();
    }
}
