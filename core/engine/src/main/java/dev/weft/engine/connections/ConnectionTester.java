package dev.weft.engine.connections;

import dev.weft.spi.Connection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code POST /connections/test} for the types Weft can test without their hook: {@code http} (a GET of the base
 * URL with the login and headers must answer below 400) and {@code fs} (the {@code path} of the extra must exist).
 * Messages never hold the password.
 */
public final class ConnectionTester {
    /** The types {@link #test} accepts. */
    public static final Set<String> TESTABLE = Set.of("http", "fs");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Whether the connection works, and what was found. */
    public record Result(boolean ok, String message) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** @throws IllegalArgumentException when the type cannot be tested */
    public Result test(Connection c) {
        return switch (c.connType() == null ? "" : c.connType()) {
            case "http" -> http(c);
            case "fs" -> fs(c);
            default -> throw new IllegalArgumentException("Connections of type '" + c.connType() + "' cannot be"
                    + " tested by Weft; testable types: " + String.join(", ", new java.util.TreeSet<>(TESTABLE)));
        };
    }

    private static Result fs(Connection c) {
        Object path = c.extra().get("path");
        if (!(path instanceof String p) || p.isBlank()) {
            return new Result(false, "An fs connection needs a path in its extra, e.g. {\"path\": \"/data\"}");
        }
        return Files.exists(Path.of(p)) ? new Result(true, "Path " + p + " exists")
                : new Result(false, "Path " + p + " does not exist (on the server's file system)");
    }

    private Result http(Connection c) {
        String url = c.httpBaseUrl();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        } catch (IllegalArgumentException e) {
            return new Result(false, "The base URL " + url + " is not a URL: " + e.getMessage());
        }
        c.httpHeaders().forEach(request::header);
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status < 400 ? new Result(true, "GET " + url + " answered " + status)
                    : new Result(false, "GET " + url + " answered " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(false, "GET " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "GET " + url + " was interrupted");
        }
    }
}
