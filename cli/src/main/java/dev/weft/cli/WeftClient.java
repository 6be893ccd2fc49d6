package dev.weft.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The REST API (/api/v1) over the JDK HTTP client; every failure becomes a {@link CliException}. */
final class WeftClient {
    private final String url;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

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

    Object patch(String path, Object body) {
        return Json.parseResponse(send("PATCH", path, Json.write(body), "application/json"));
    }

    Object delete(String path) {
        return Json.parseResponse(send("DELETE", path, null, "application/json"));
    }

    /** Every page of a collection endpoint, as one list under {@code key}. */
    @SuppressWarnings("unchecked")
    java.util.List<Object> getAll(String path, String key) {
        java.util.List<Object> all = new java.util.ArrayList<>();
        String sep = path.contains("?") ? "&" : "?";
        int limit = 100;
        while (true) {
            Map<String, Object> page = (Map<String, Object>) get(path + sep + "limit=" + limit + "&offset=" + all.size());
            java.util.List<Object> items = (java.util.List<Object>) page.get(key);
            if (items == null || items.isEmpty()) {
                return all;
            }
            all.addAll(items);
            Object total = page.get("total_entries");
            if (items.size() < limit || (total instanceof Number n && all.size() >= n.longValue())) {
                return all;
            }
        }
    }

    private String send(String method, String path, String body, String accept) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url + "/api/v1" + path));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "not a valid URL: " + url);
        }
        b.timeout(Duration.ofSeconds(120)).header("Accept", accept);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (connection refused)");
        } catch (HttpConnectTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach Weft at " + url + " (connect timed out)");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.SERVER, "interrupted");
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "not a valid URL: " + url);
        }
        int status = r.statusCode();
        if (status < 300) {
            return r.body();
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
                Object d = m.get("detail");
                Object t = m.get("title");
                String s = d != null ? String.valueOf(d) : t != null ? String.valueOf(t) : body;
                return s.replaceAll("\\s+", " ").trim();
            }
        } catch (Json.ParseException ignored) {
            // not JSON: the body as it is
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
