package dev.weft.plugins.http;

import java.time.Duration;
import java.util.Map;

/** What the sensor's and the operator's params share: the request, the response check and what to keep. */
interface RequestParams {
    /** The URL; null when the request goes to {@link #httpConnId()}'s base URL and {@link #endpoint()}. */
    String url();

    /** Airflow's {@code http_conn_id}: the connection whose base URL, login and extra headers the request uses. */
    String httpConnId();

    /** The path after the connection's base URL (with {@link #httpConnId()} only). */
    String endpoint();

    String method();

    Map<String, String> headers();

    Map<String, Object> query();

    String body();

    Object json();

    /** A {@link StatusCodes} once bound. */
    Object expectedStatus();

    String bodyContains();

    String bodyRegex();

    Duration requestTimeout();

    Long maxResponseBytes();

    String output();

    Boolean logResponse();

    default StatusCodes expected() {
        return (StatusCodes) expectedStatus();
    }
}
