package dev.weft.cli;

import dev.weft.api.model.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The REST API (/api/v1) over the JDK's {@code HttpURLConnection} (its {@code HttpClient} only for PATCH); every
 * failure becomes a {@link CliException}.
 */
final class WeftClient {
    private final String url;
    private final String authorization;

    WeftClient(String url, String user, String password) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = user == null || user.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    String url() {
        return url;
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string of the non-null parameters, with its leading '?' (or empty). */
    static String query(Object... keyValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                continue;
            }
            sb.append(sb.isEmpty() ? '?' : '&').append(keyValues[i]).append('=')
                    .append(URLEncoder.encode(String.valueOf(keyValues[i + 1]), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    Object get(String path) {
        return Json.parseResponse(send("GET", path, null, "application/json"));
    }

    String getText(String path) {
        return send("GET", path, null, "text/plain");
    }

    Object post(String path, Object body) {
        return Json.parseResponse(send("POST", path, Json.write(body), "application/json"));
    }

    /** A JSON answer and its response headers, by lower-case name. */
    record Answer(Object json, Map<String, String> headers) {
    }

    Answer postForAnswer(String path, Object body) {
        Reply r = exchange("POST", path, Json.write(body), "application/json");
        return new Answer(Json.parseResponse(r.body()), r.headers());
    }

    Object patch(String path, Object body) {
        return Json.parseResponse(send("PATCH", path, Json.write(body), "application/json"));
    }

    Object delete(String path) {
        return Json.parseResponse(send("DELETE", path, null, "application/json"));
    }

    /** A response object as the API-model record it is. */
    <R extends Record> R get(String path, Class<R> type) {
        return Json.as(type, get(path));
    }

    /** Every page of a collection endpoint: the items {@code items} takes from each page. */
    <P extends Record, I> List<I> getAll(String path, Class<P> pageType, Function<P, List<I>> items) {
        List<I> all = new ArrayList<>();
        String sep = path.contains("?") ? "&" : "?";
        int limit = 100;
        while (true) {
            Object page = get(path + sep + "limit=" + limit + "&offset=" + all.size());
            List<I> pageItems = items.apply(Json.as(pageType, page));
            if (pageItems == null || pageItems.isEmpty()) {
                return all;
            }
            all.addAll(pageItems);
            // Airflow's collections share total_entries (CollectionInfo), not every record of them declares it.
            Object total = Json.object(page).get("total_entries");
            if (pageItems.size() < limit || (total instanceof Number n && all.size() >= n.longValue())) {
                return all;
            }
        }
    }

    /** A response: its status and body. */
    private record Reply(int status, String body, Map<String, String> headers) {
        Reply(int status, String body) {
            this(status, body, Map.of());
        }
    }

    private String send(String method, String path, String body, String accept) {
        return exchange(method, path, body, accept).body();
    }

    private Reply exchange(String method, String path, String body, String accept) {
        URI uri;
        try {
            uri = URI.create(url + "/api/v1" + path);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "not a valid URL: " + url);
        }
        Reply r;
        try {
            // HttpURLConnection starts much faster than the JDK's HttpClient (no TLS set-up for http://, no selector
            // thread), which matters for a command-line client; it cannot send PATCH, so PATCH takes HttpClient.
            r = method.equals("PATCH") ? Patch.send(uri, body, accept, authorization)
                    : classic(uri, method, body, accept);
        } catch (ConnectException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (connection refused)");
        } catch (SocketTimeoutException | HttpConnectTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (timed out)");
        } catch (UnknownHostException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (unknown host "
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.SERVER, "interrupted");
        }
        int status = r.status();
        if (status < 300) {
            return r;
        }
        String detail = detail(r.body());
        if (status == 401) {
            throw new CliException(CliException.AUTH, "not authenticated: check WEFT_USER and WEFT_PASSWORD"
                    + " or the config file written by weft login (HTTP 401)");
        }
        if (status == 403) {
            throw new CliException(CliException.AUTH, "permission denied: " + detail + " (HTTP 403)");
        }
        if (status == 404) {
            throw new CliException(CliException.NOT_FOUND, detail + " (HTTP 404)");
        }
        if (status == 409) {
            throw new CliException(CliException.CONFLICT, detail + " (HTTP 409)");
        }
        if (status == 400 || status == 413 || status == 415 || status == 422) {
            throw new CliException(CliException.USAGE, detail + " (HTTP " + status + ")");
        }
        throw new CliException(CliException.SERVER, "server error: " + detail + " (HTTP " + status + ")");
    }

    private Reply classic(URI uri, String method, String body, String accept) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(120_000);
        c.setRequestMethod(method);
        c.setRequestProperty("Accept", accept);
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        int status;
        try {
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            status = c.getResponseCode();
        } catch (HttpRetryException e) {
            // A 401 to a streamed body: the status is all there is.
            return new Reply(e.responseCode(), "");
        }
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String text = "";
        if (in != null) {
            try (in) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> headers = new java.util.HashMap<>();
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null && !values.isEmpty()) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        return new Reply(status, text, headers);
    }

    /** PATCH through the JDK's HttpClient, loaded only when a command patches something. */
    private static final class Patch {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        static Reply send(URI uri, String body, String accept, String authorization)
                throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                    .header("Accept", accept).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body());
        }
    }

    private CliException unreachable(Exception e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        return new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (" + why + ")");
    }

    /** The detail (or title) of a problem+json body, else the body itself, on one line. */
    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "no details";
        }
        try {
            if (Json.parse(body) instanceof Map<?, ?> m) {
                Problem p = Json.as(Problem.class, m);
                String s = p.detail() != null ? p.detail() : p.title() != null ? p.title() : body;
                return s.replaceAll("\\s+", " ").trim();
            }
        } catch (Json.ParseException | CliException notAProblem) {
            // not JSON, or not problem details: the body as it is
        }
        String s = body.replaceAll("\\s+", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
