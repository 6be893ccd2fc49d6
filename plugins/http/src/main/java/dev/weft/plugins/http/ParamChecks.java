package dev.weft.plugins.http;

import dev.weft.spi.InvalidParamsException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks and defaults of the request params, each failure naming its field. */
final class ParamChecks {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final Set<String> OUTPUTS = Set.of("body", "status", "full", "none");
    /** Headers the JDK's HTTP client sets itself and refuses to take from a request. */
    private static final Set<String> RESTRICTED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        RESTRICTED.addAll(List.of("connection", "content-length", "expect", "host", "upgrade"));
    }

    private ParamChecks() {
    }

    /** {@code url}, or {@code http_conn_id} with an optional {@code endpoint}: the one way a request is aimed. */
    static String target(String url, String httpConnId, String endpoint) {
        if (httpConnId == null) {
            if (endpoint != null) {
                throw new InvalidParamsException("endpoint", "goes with http_conn_id (the connection gives the base"
                        + " URL); without one, give the whole url");
            }
            return url(url);
        }
        if (httpConnId.isBlank()) {
            throw new InvalidParamsException("http_conn_id", "is empty: give a connection id, e.g. 'my_api'");
        }
        if (url != null) {
            throw new InvalidParamsException("url", "cannot be given with http_conn_id: the connection gives the"
                    + " base URL, and endpoint the path after it");
        }
        return null;
    }

    static String url(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidParamsException("url", "is required: the http:// or https:// URL to call");
        }
        String u = url.strip();
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new InvalidParamsException("url", "is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidParamsException("url", "must start with http:// or https://, got '" + u + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidParamsException("url", "has no host: '" + u + "'");
        }
        return u;
    }

    static String method(String method, String otherwise) {
        if (method == null || method.isBlank()) {
            return otherwise;
        }
        String m = method.strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new InvalidParamsException("method", "expected one of " + new TreeSet<>(METHODS) + ", got '" + method + "'");
        }
        return m;
    }

    static Map<String, String> headers(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isBlank()) {
                throw new InvalidParamsException("headers", "a header has an empty name");
            }
            if (RESTRICTED.contains(name.strip())) {
                throw new InvalidParamsException("headers." + name, "is set by the HTTP client and cannot be given");
            }
            if (e.getValue() == null) {
                throw new InvalidParamsException("headers." + name, "must not be null");
            }
            copy.put(name.strip(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    static Map<String, Object> query(Map<String, Object> query) {
        if (query == null) {
            return Map.of();
        }
        for (Map.Entry<String, Object> e : query.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    scalar(list.get(i), "query." + e.getKey() + "[" + i + "]");
                }
            } else {
                scalar(v, "query." + e.getKey());
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    private static void scalar(Object v, String field) {
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new InvalidParamsException(field, "expected a string, number or boolean (or a list of them), got "
                    + (v == null ? "null" : "'" + v + "'"));
        }
    }

    static void body(String body, Object json) {
        if (body != null && json != null) {
            throw new InvalidParamsException("json", "give either body (text) or json (a value sent as JSON), not both");
        }
    }

    static void regex(String regex) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidParamsException("body_regex", "is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    static Duration timeout(Duration timeout) {
        if (timeout == null) {
            return DEFAULT_TIMEOUT;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidParamsException("request_timeout", "must be positive, got " + timeout);
        }
        return timeout;
    }

    static Long maxResponseBytes(Long max) {
        if (max == null) {
            return DEFAULT_MAX_RESPONSE_BYTES;
        }
        if (max <= 0) {
            throw new InvalidParamsException("max_response_bytes", "must be positive, got " + max);
        }
        return max;
    }

    static String output(String output, String otherwise) {
        if (output == null || output.isBlank()) {
            return otherwise;
        }
        String o = output.strip().toLowerCase(Locale.ROOT);
        if (!OUTPUTS.contains(o)) {
            throw new InvalidParamsException("output", "expected one of body, status, full, none; got '" + output + "'");
        }
        return o;
    }
}
