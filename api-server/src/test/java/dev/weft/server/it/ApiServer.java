package dev.weft.server.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.auth.PasswordHasher;
import dev.weft.server.WeftApplication;
import dev.weft.server.WeftConfiguration;
import dev.weft.store.TestDatabase;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Weft server in-process on its own test database, a client that speaks to it as the users admin, op, user
 * and viewer, and Airflow's OpenAPI contract that every response is checked against.
 */
final class ApiServer {
    static final String PASSWORD = "s3cret-pw";
    static final List<String> USERS = List.of("admin", "op", "user", "viewer");
    private static final Pattern ERROR_INSTANCE = Pattern.compile("urn:weft:error:[0-9a-f]{12}");

    final TestDatabase db = TestDatabase.create();
    final DropwizardAppExtension<WeftConfiguration> app;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final OpenApiInteractionValidator contract = contract();
    /** Every Airflow endpoint Weft implements, as "METHOD /path/{template}". */
    static final List<String> ENDPOINTS = List.of(
            "GET /api/v1/health", "GET /api/v1/version",
            "GET /api/v1/dags", "GET /api/v1/dags/{dag_id}", "PATCH /api/v1/dags/{dag_id}",
            "GET /api/v1/dags/{dag_id}/details", "GET /api/v1/dags/{dag_id}/tasks",
            "GET /api/v1/dags/{dag_id}/tasks/{task_id}",
            "POST /api/v1/dags/~/dagRuns/list", "POST /api/v1/dags/~/dagRuns/~/taskInstances/list",
            "POST /api/v1/dags/{dag_id}/dagRuns", "GET /api/v1/dags/{dag_id}/dagRuns",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}", "PATCH /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}",
            "DELETE /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}",
            "POST /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/clear",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
            "PATCH /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}",
            "POST /api/v1/dags/{dag_id}/clearTaskInstances", "POST /api/v1/dags/{dag_id}/updateTaskInstancesState",
            "GET /api/v1/plugins", "GET /api/v1/importErrors",
            "GET /api/v1/pools", "POST /api/v1/pools", "GET /api/v1/pools/{pool_name}",
            "PATCH /api/v1/pools/{pool_name}", "DELETE /api/v1/pools/{pool_name}",
            "GET /api/v1/variables", "POST /api/v1/variables", "GET /api/v1/variables/{variable_key}",
            "PATCH /api/v1/variables/{variable_key}", "DELETE /api/v1/variables/{variable_key}",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries",
            "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}",
            "GET /api/v1/connections", "POST /api/v1/connections", "GET /api/v1/connections/{connection_id}",
            "PATCH /api/v1/connections/{connection_id}", "DELETE /api/v1/connections/{connection_id}",
            "POST /api/v1/connections/test",
            "GET /api/v1/users", "POST /api/v1/users", "GET /api/v1/users/{username}",
            "PATCH /api/v1/users/{username}", "DELETE /api/v1/users/{username}", "GET /api/v1/roles",
            "GET /api/v1/datasets", "GET /api/v1/datasets/{uri}", "GET /api/v1/datasets/events",
            "POST /api/v1/datasets/events", "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamDatasetEvents",
            "GET /api/v1/dags/{dag_id}/datasets/queuedEvent", "DELETE /api/v1/dags/{dag_id}/datasets/queuedEvent",
            "GET /api/v1/dags/{dag_id}/datasets/queuedEvent/{uri}",
            "DELETE /api/v1/dags/{dag_id}/datasets/queuedEvent/{uri}", "GET /api/v1/datasets/queuedEvent/{uri}",
            "DELETE /api/v1/datasets/queuedEvent/{uri}");

    /** Endpoint → whether a successful response of it was validated against the contract. */
    final Map<String, Boolean> validated = new ConcurrentHashMap<>();

    private static String describe(ValidationReport.Message m, String indent) {
        StringBuilder sb = new StringBuilder(indent + m.getKey() + ": " + m.getMessage());
        m.getAdditionalInfo().forEach(i -> sb.append("\n").append(indent).append("  ").append(i));
        m.getNestedMessages().forEach(n -> sb.append("\n").append(describe(n, indent + "  ")));
        return sb.toString();
    }

    /** The endpoint a request hits; literal segments ({@code ~}, {@code list}) win over templates. */
    static String endpoint(String method, String path) {
        String best = null;
        int bestLiterals = -1;
        for (String e : ENDPOINTS) {
            String[] parts = e.split(" ", 2);
            if (!parts[0].equals(method)) {
                continue;
            }
            String[] want = parts[1].split("/");
            String[] got = path.split("/");
            if (want.length != got.length) {
                continue;
            }
            int literals = 0;
            boolean match = true;
            for (int i = 0; i < want.length && match; i++) {
                if (want[i].startsWith("{")) {
                    continue;
                }
                match = want[i].equals(got[i]);
                literals++;
            }
            if (match && literals > bestLiterals) {
                best = e;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /**
     * Airflow's contract as the validator reads it, with two changes: the {@code discriminator} of ScheduleInterval is
     * dropped, because the validator recurses without end on it (its anyOf of TimeDelta, RelativeDelta and
     * CronExpression is still checked); and an XCom's {@code value}, an anyOf of every JSON type, is checked as a
     * string (what the API answers unless asked for {@code stringify=false}), because the validator reads that anyOf,
     * and any schema without a type, as an object once XCom's allOf is merged. allOf compositions are merged so a
     * collection's two parts are checked as one object.
     */
    static OpenApiInteractionValidator contract() {
        String spec;
        try (var in = Objects.requireNonNull(ApiServer.class.getResourceAsStream(
                "/contract/airflow-rest-api-v1.yaml"))) {
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String discriminator = """
                        - $ref: "#/components/schemas/CronExpression"
                      discriminator:
                        propertyName: __type
                """;
        assertThat(spec).contains(discriminator);
        spec = spec.replace(discriminator, "        - $ref: \"#/components/schemas/CronExpression\"\n");
        String xcomValue = """
                            value:
                              anyOf:
                                - type: string
                                - type: number
                                - type: integer
                                - type: boolean
                                - type: array
                                  items: {}
                                - type: object
                """;
        assertThat(spec).contains(xcomValue);
        spec = spec.replace(xcomValue, "            value:\n              type: string\n");
        return OpenApiInteractionValidator.createForInlineApiSpecification(spec).withResolveCombinators(true)
                .build();
    }

    ApiServer(long maxBody) {
        this(maxBody, true);
    }

    /** {@code examples}: whether the example DAGs (and the API tests' DAGs) load; without, the engine is idle. */
    ApiServer(long maxBody, boolean examples) {
        System.setProperty("weft.api-test", "true");
        WeftConfiguration config = new WeftConfiguration();
        try {
            config.setWeftHome(Files.createTempDirectory("weft-api-it").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setDatabaseUrl(db.url());
        config.setMaxRequestBodyBytes(maxBody);
        config.setLoadExamples(examples);
        SimpleServerFactory server = new SimpleServerFactory();
        server.setApplicationContextPath("/");
        server.setAdminContextPath("/ops");
        ((HttpConnectorFactory) server.getConnector()).setPort(0);
        config.setServerFactory(server);
        ((DefaultLoggingFactory) config.getLoggingFactory()).setLevel("WARN");
        UserStore users = db.database().users();
        for (String name : USERS) {
            String role = name.equals("user") ? "User" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
            users.create(new UserStore.User(name, PasswordHasher.hash(PASSWORD), role, name + "@example.com",
                    name, "Tester", true, null, null, 0, null));
        }
        app = new DropwizardAppExtension<>(WeftApplication.class, config);
        // The database goes when the JVM does: the server stops after the test class's own @AfterAll.
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
    }


    /** A response as the test sees it. */
    record Reply(int status, String contentType, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Reply send(String method, String pathAndQuery, String user, String body, Map<String, String> headers) {
        String credentials = user == null || user.contains(":") ? user : user + ":" + PASSWORD;
        HttpResponse<String> r = BasicAuthHttp.send(http, URI.create("http://localhost:" + app.getLocalPort()
                + pathAndQuery), method, credentials, body, headers);
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.headers().map(),
                r.body());
    }

    /** Sends a request as {@code user} and checks the response against the contract; returns the reply. */
    Reply call(String method, String pathAndQuery, String user, String body) {
        return call(method, pathAndQuery, user, body, Map.of());
    }

    Reply call(String method, String pathAndQuery, String user, String body, Map<String, String> headers) {
        Reply reply = send(method, pathAndQuery, user, body, headers);
        validate(method, pathAndQuery, reply);
        return reply;
    }

    /** The JSON body of a call that must answer {@code status}. */
    JsonNode expect(int status, String method, String pathAndQuery, String user, String body) {
        Reply reply = call(method, pathAndQuery, user, body);
        assertThat(reply.status()).as("%s %s -> %s", method, pathAndQuery, reply.body()).isEqualTo(status);
        return parse(reply.body());
    }

    JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates a reply against Airflow's contract. Problem details are sent as application/problem+json (as Airflow
     * does) where the contract names application/json: they are checked as problem details and then validated as the
     * contract's Error schema. 401 answers are plain text "Unauthorized" as Airflow's basic-auth backend sends them.
     * Statuses the contract does not list for an operation (413, 415, 429, and 400 on some GETs where Airflow also
     * answers 400) are accepted when their body is a valid problem.
     */
    void validate(String method, String pathAndQuery, Reply reply) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
                : pathAndQuery;
        if (!path.startsWith("/api/v1/") || path.startsWith("/api/v1/weft/") || path.equals("/api/v1/openapi.yaml")) {
            return;
        }
        if (reply.status() == 401) {
            assertThat(reply.body()).isEqualTo("Unauthorized");
            assertThat(reply.contentType()).startsWith("text/plain");
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Basic");
            return;
        }
        String contentType = reply.contentType();
        boolean problem = contentType != null && contentType.startsWith("application/problem+json");
        if (reply.status() >= 400) {
            assertThat(problem).as("%s %s -> %s is problem+json", method, path, reply.status()).isTrue();
            JsonNode p = parse(reply.body());
            assertThat(p.get("status").asInt()).isEqualTo(reply.status());
            assertThat(p.get("title").asText()).isNotBlank();
            assertThat(p.get("type").asText()).isNotBlank();
            assertThat(p.get("detail").asText()).isNotBlank();
            assertThat(p.get("instance").asText()).matches(ERROR_INSTANCE);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        if (contentType != null) {
            response.withContentType(problem ? "application/json" : contentType);
        }
        if (reply.body() != null && !reply.body().isEmpty()) {
            response.withBody(reply.body());
        }
        ValidationReport report = contract.validateResponse(path, Request.Method.valueOf(method), response.build());
        List<String> errors = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            if (m.getKey().equals("validation.response.status.unknown") && problem) {
                continue;
            }
            errors.add(describe(m, ""));
        }
        assertThat(errors).as("contract violations of %s %s -> %s %s", method, path, reply.status(), reply.body())
                .isEmpty();
        String endpoint = endpoint(method, path);
        if (endpoint != null) {
            validated.merge(endpoint, reply.status() < 300, Boolean::logicalOr);
        }
    }
}
