package dev.weft.plugins.http;

import java.time.Duration;
import java.util.Map;

/** What the sensor's and the operator's params share: the request, the response check and what to keep. */
interface RequestParams {
    String url();

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
