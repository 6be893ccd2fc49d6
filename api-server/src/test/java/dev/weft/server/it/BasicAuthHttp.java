package dev.weft.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The tests' HTTP requests to a Weft server: basic auth, a JSON body unless told otherwise, extra headers. */
public final class BasicAuthHttp {
    private BasicAuthHttp() {
    }

    /**
     * Sends {@code method uri} as {@code userAndPassword} ({@code name:password}; null sends no credentials) with
     * {@code body} (null: none; JSON unless {@code headers} name a Content-Type).
     */
    public static HttpResponse<String> send(HttpClient http, URI uri, String method, String userAndPassword,
                                            String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (userAndPassword != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    userAndPassword.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException stale) {
                // A pooled keep-alive connection the server had just closed (after a 413 it closes the connection):
                // the request never reached the server, so sending it again on a new connection is safe.
                if (!String.valueOf(stale.getMessage()).contains("received no bytes")) {
                    throw stale;
                }
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
