package dev.weft.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.it.BasicAuthHttp;
import dev.weft.server.it.ServerProcess;
import dev.weft.store.TestDatabase;
import org.openqa.selenium.support.ui.FluentWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real {@code weft standalone} process as a new user starts it: the example DAGs, a generated admin password, the
 * scheduler and worker inside, on a fresh database of the local PostgreSQL. Supermarket 1 has delivered its files,
 * so the chapter's chains run through for it; the DAGs folder takes the test's own DAG files.
 */
final class UiServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final Path dags;
    final int port;
    final String adminPassword;
    private final TestDatabase db;
    private final Process process;

    /** A reply of the server as a plain HTTP client sees it. */
    record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private UiServer(Path home, TestDatabase db, ServerProcess.Started started) throws Exception {
        this.home = home;
        this.dags = home.resolve("dags");
        this.db = db;
        this.process = started.process();
        this.port = started.port();
        Path passwordFile = home.resolve("standalone_admin_password.txt");
        new FluentWait<>(this).withTimeout(Duration.ofSeconds(90)).pollingEvery(Duration.ofMillis(200))
                .ignoring(UncheckedIOException.class)
                .withMessage(() -> "weft standalone did not answer within 90 s:\n" + log()).until(s -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("weft standalone exited with " + process.exitValue() + ":\n"
                                + log());
                    }
                    return Files.exists(passwordFile)
                            && send("GET", "/api/v1/health", null, null, Map.of()).status() == 200;
                });
        this.adminPassword = Files.readString(passwordFile).strip();
    }

    /** Starts the server with {@code dagFiles} (file name → content) already in its DAGs folder. */
    static UiServer start(Map<String, String> dagFiles) throws Exception {
        Path home = Files.createTempDirectory("weft-ui-it");
        Path dags = Files.createDirectories(home.resolve("dags"));
        for (Map.Entry<String, String> f : dagFiles.entrySet()) {
            Files.writeString(dags.resolve(f.getKey()), f.getValue());
        }
        Path data = home.resolve("data");
        Path supermarket1 = Files.createDirectories(data.resolve("supermarket1"));
        Files.writeString(supermarket1.resolve("data-01.csv"), "id,promotion\n");
        Files.writeString(supermarket1.resolve("_SUCCESS"), "");
        TestDatabase db = TestDatabase.create();
        ServerProcess.Started started = ServerProcess.launch("standalone", home, """
                databaseUrl: "%s"
                dagsFolder: %s
                """.formatted(db.url(), dags), Map.of("WEFT_HOME", home.toString(), "WEFT_DATA_DIR", data.toString()));
        try {
            return new UiServer(home, db, started);
        } catch (Exception | AssertionError e) {
            started.process().destroyForcibly();
            db.close();
            throw e;
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A request with basic auth as {@code user:password} (null: none) and extra headers. */
    Reply send(String method, String path, String userAndPassword, String body, Map<String, String> headers) {
        HttpResponse<String> r = BasicAuthHttp.send(HTTP, URI.create(url(path)), method, userAndPassword, body,
                headers);
        return new Reply(r.statusCode(), r.body(), r);
    }

    /**
     * A form post as a forged request would make it: a plain HTTP client with nothing but the session cookie
     * {@code session} (its value) and the URL-encoded {@code form}.
     */
    Reply postForm(String path, String session, String form) {
        return send("POST", path, null, form, Map.of("Cookie", "weft_session=" + session,
                "Content-Type", "application/x-www-form-urlencoded"));
    }

    /** A REST API call as admin that must answer {@code status}; its JSON body. */
    JsonNode admin(int status, String method, String path, String body) {
        Reply reply = send(method, path, "admin:" + adminPassword, body, Map.of());
        if (reply.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + reply.status() + ", not " + status + ": "
                    + reply.body());
        }
        return reply.body().isEmpty() ? null : reply.json();
    }

    /** Creates a user through the REST API, as an admin would. */
    void createUser(String username, String role, String password) {
        admin(200, "POST", "/api/v1/users", """
                {"username": "%s", "password": "%s", "email": "%s@example.com", "first_name": "%s",
                 "last_name": "Tester", "roles": [{"name": "%s"}]}""".formatted(username, password, username,
                username, role));
    }

    /** The server's output so far, without stack frames, for failure messages. */
    String log() {
        try {
            return Files.readString(home.resolve("standalone.log")).lines().filter(l -> !l.startsWith("\tat"))
                    .reduce("", (a, b) -> a.length() > 20_000 ? a : a + b + "\n");
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
