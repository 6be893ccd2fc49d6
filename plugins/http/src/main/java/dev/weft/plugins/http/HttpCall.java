package dev.weft.plugins.http;

import dev.weft.spi.Cancellation;
import dev.weft.spi.Connection;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.TaskContext;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One HTTP exchange with the JDK's client: builds the request from the params, sends it while watching the try's
 * cancellation and the request timeout, and reads at most {@code max_response_bytes} of the body.
 */
final class HttpCall {
    static final String USER_AGENT = "weft-http-plugin/" + version();
    /** How often a waiting request checks for cancellation. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int LOG_MAX_LINES = 200;
    private static final int LOG_MAX_CHARS = 10_000;
    private static volatile HttpClient client;

    private HttpCall() {
    }

    /** One client for the plugin: it pools connections and threads, so it is made once, on first use. */
    static HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (HttpCall.class) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(Duration.ofSeconds(30)).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** The response as far as the tasks use it. */
    record Response(int status, Map<String, List<String>> headers, String body, int bytes, Duration took) {
        /** {@code HTTP 200 (345 bytes in 12 ms)}. */
        String describe() {
            return "HTTP " + status + " (" + bytes + " bytes in " + took.toMillis() + " ms)";
        }

        /** Why the body fails the params' check, or null when it passes (or there is none). */
        String bodyMismatch(RequestParams p) {
            if (p.bodyContains() != null && !body.contains(p.bodyContains())) {
                return "HTTP " + status + " but the body does not contain '" + p.bodyContains() + "'";
            }
            if (p.bodyRegex() != null && !Pattern.compile(p.bodyRegex()).matcher(body).find()) {
                return "HTTP " + status + " but the body does not match /" + p.bodyRegex() + "/";
            }
            return null;
        }

        /** The task's output for the {@code output} param: the body, the status, all of it, or nothing. */
        Object output(String mode) {
            return switch (mode) {
                case "body" -> body;
                case "status" -> (long) status;
                case "none" -> null;
                default -> {
                    Map<String, Object> full = new LinkedHashMap<>();
                    full.put("status", (long) status);
                    Map<String, Object> h = new LinkedHashMap<>();
                    headers.forEach((name, values) -> {
                        if (!name.startsWith(":")) {
                            h.put(name, String.join(", ", values));
                        }
                    });
                    full.put("headers", h);
                    full.put("body", body);
                    yield full;
                }
            };
        }
    }

    /**
     * The request the params describe. With {@code http_conn_id}, the connection (read through {@code ctx}, so the
     * try's log masks its password) gives the base URL, a Basic {@code Authorization} from its login and password,
     * and the headers of its extra's {@code headers} object; the params' own headers win over those.
     */
    static HttpRequest request(RequestParams p, TaskContext ctx) {
        String url = p.url();
        Map<String, String> headers = new LinkedHashMap<>();
        if (p.httpConnId() != null) {
            Connection c = ctx.connection(p.httpConnId()).orElseThrow(() -> new InvalidParamsException(
                    "http_conn_id", "connection '" + p.httpConnId() + "' does not exist: create it, e.g. weft"
                    + " connections add " + p.httpConnId() + " --conn-uri 'http://https://api.example.com'"));
            url = ParamChecks.url(join(c.httpBaseUrl(), p.endpoint()));
            headers.putAll(c.httpHeaders());
        }
        // the params' headers win, whatever the case of their names
        headers.keySet().removeIf(name -> p.headers().keySet().stream().anyMatch(name::equalsIgnoreCase));
        headers.putAll(p.headers());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(url, p.query())).timeout(p.requestTimeout());
        boolean userAgent = false;
        boolean contentType = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidParamsException("headers." + h.getKey(), e.getMessage());
            }
            userAgent |= h.getKey().equalsIgnoreCase("User-Agent");
            contentType |= h.getKey().equalsIgnoreCase("Content-Type");
        }
        if (!userAgent) {
            b.header("User-Agent", USER_AGENT);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (p.json() != null) {
            body = HttpRequest.BodyPublishers.ofString(JsonText.write(p.json()), StandardCharsets.UTF_8);
            if (!contentType) {
                b.header("Content-Type", "application/json");
            }
        } else if (p.body() != null) {
            body = HttpRequest.BodyPublishers.ofString(p.body(), StandardCharsets.UTF_8);
        }
        return b.method(p.method(), body).build();
    }

    /** Airflow's HttpHook: the base URL and the endpoint joined by one {@code /}. */
    static String join(String baseUrl, String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            return baseUrl;
        }
        return baseUrl.replaceAll("/+$", "") + "/" + endpoint.replaceAll("^/+", "");
    }

    /** The URL with the {@code query} params appended (percent-encoded; a list repeats its key). */
    static URI uri(String url, Map<String, Object> query) {
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            query.forEach((key, value) -> {
                for (Object v : value instanceof List<?> list ? list : List.of(value)) {
                    q.append(q.isEmpty() ? "" : "&").append(encode(key)).append('=').append(encode(String.valueOf(v)));
                }
            });
            int hash = url.indexOf('#');
            String fragment = hash < 0 ? "" : url.substring(hash);
            String base = hash < 0 ? url : url.substring(0, hash);
            url = base + (base.contains("?") ? "&" : "?") + q + fragment;
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidParamsException("url", "is not a valid URL: " + e.getMessage());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends the request and waits for the whole response, checking {@code cancellation} as it waits.
     *
     * @throws IOException           the exchange failed (connection refused, reset, timed out)
     * @throws CancellationException the try was cancelled or the thread interrupted; the exchange is abandoned
     */
    static Response send(HttpRequest request, RequestParams p, Cancellation cancellation) throws IOException {
        long started = System.nanoTime();
        long deadline = started + p.requestTimeout().toNanos();
        long limit = p.maxResponseBytes();
        CompletableFuture<HttpResponse<byte[]>> pending =
                client().sendAsync(request, info -> new LimitedBody(limit));
        try {
            while (true) {
                if (cancellation.isCancelled()) {
                    pending.cancel(true);
                    throw new CancellationException("HTTP request cancelled"
                            + (cancellation.reason() == null ? "" : ": " + cancellation.reason()));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    pending.cancel(true);
                    throw new HttpTimeoutException("no complete response within request_timeout ("
                            + p.requestTimeout().toSeconds() + " s)");
                }
                try {
                    HttpResponse<byte[]> r = pending.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
                    byte[] bytes = r.body();
                    return new Response(r.statusCode(), r.headers().map(), new String(bytes, charset(r.headers())),
                            bytes.length, Duration.ofNanos(System.nanoTime() - started));
                } catch (TimeoutException stillWaiting) {
                    // check cancellation and the deadline again
                }
            }
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("HTTP request interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** The charset of a {@code Content-Type} header, UTF-8 when none or unknown. */
    static Charset charset(HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String part : type.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).replace("\"", "").strip();
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** An exception's class and message, and its cause's when it has no message of its own (ConnectException). */
    static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e.getMessage() == null && e.getCause() != null && e.getCause() != e) {
            text += " (" + describe(e.getCause()) + ")";
        }
        return text;
    }

    /** Logs a body line by line, at most {@value #LOG_MAX_LINES} lines and {@value #LOG_MAX_CHARS} characters. */
    static void logBody(Logger log, String body) {
        if (body.isEmpty()) {
            log.info("Response body: (empty)");
            return;
        }
        log.info("Response body:");
        String[] lines = body.split("\\R", -1);
        int chars = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == LOG_MAX_LINES || chars + line.length() > LOG_MAX_CHARS) {
                int rest = body.length() - chars;
                log.info("... ({} more characters not logged)", rest);
                return;
            }
            log.info("{}", line);
            chars += line.length() + 1;
        }
    }

    private static String version() {
        String v = HttpCall.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Collects a body up to {@code limit} bytes; a longer one fails the exchange instead of filling the heap. */
    static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : items) {
                if (out.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException(
                            "the response body is larger than max_response_bytes (" + limit + " bytes)"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }

    /** A response body over {@code max_response_bytes}: not an I/O failure, so a sensor does not wait it out. */
    static final class ResponseTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResponseTooLargeException(String message) {
            super(message);
        }
    }
}
