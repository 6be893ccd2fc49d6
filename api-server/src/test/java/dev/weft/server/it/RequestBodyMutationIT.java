package dev.weft.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.WeftConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property of the REST API, checked on random mutations of valid request bodies of the endpoints that change
 * things (trigger, clear, set state, pools, users): whatever the body, the answer is never a 5xx, and an error is a
 * problem document. Mutations drop, add and retype fields (nulls, huge numbers, wrong types, odd dates, deep nesting)
 * or break the JSON text itself. Seeds are fixed so a failure reproduces; {@code -Dweft.mutations=N} explores more.
 */
class RequestBodyMutationIT {
    static final ApiServer SERVER = new ApiServer(1024 * 1024);
    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = SERVER.app;
    private static final int TRIES = Integer.getInteger("weft.mutations", 60);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A request the mutations start from: who sends it, where, and a body the endpoint accepts. */
    record Valid(String user, String method, String path, String body) {
    }

    private static final String RUN = "/api/v1/dags/api_fail/dagRuns/mutations";
    private static final List<Valid> VALID = List.of(
            new Valid("user", "POST", "/api/v1/dags/api_chain/dagRuns",
                    "{\"dag_run_id\": \"m1\", \"logical_date\": \"2026-03-01T00:00:00+00:00\", \"conf\": {\"word\": \"x\"},"
                            + " \"note\": \"n\"}"),
            new Valid("user", "POST", RUN + "/clear", "{\"dry_run\": true}"),
            new Valid("user", "POST", "/api/v1/dags/api_fail/clearTaskInstances",
                    "{\"dry_run\": true, \"dag_run_id\": \"mutations\", \"task_ids\": [\"boom\"], \"only_failed\": false,"
                            + " \"include_downstream\": true, \"include_upstream\": false, \"reset_dag_runs\": true}"),
            new Valid("user", "POST", "/api/v1/dags/api_fail/updateTaskInstancesState",
                    "{\"dry_run\": true, \"task_id\": \"boom\", \"dag_run_id\": \"mutations\", \"new_state\": \"success\","
                            + " \"include_upstream\": false, \"include_downstream\": true}"),
            new Valid("user", "PATCH", RUN + "/taskInstances/boom", "{\"dry_run\": true, \"new_state\": \"failed\"}"),
            new Valid("user", "PATCH", RUN, "{\"state\": \"failed\"}"),
            new Valid("op", "POST", "/api/v1/pools",
                    "{\"name\": \"mutated\", \"slots\": 3, \"description\": \"d\", \"include_deferred\": false}"),
            new Valid("op", "PATCH", "/api/v1/pools/mutation_pool", "{\"name\": \"mutation_pool\", \"slots\": 4}"),
            new Valid("admin", "POST", "/api/v1/users",
                    "{\"username\": \"mutant\", \"password\": \"pw-123456\", \"email\": \"m@example.com\","
                            + " \"first_name\": \"M\", \"last_name\": \"U\", \"roles\": [{\"name\": \"Viewer\"}]}"),
            new Valid("admin", "PATCH", "/api/v1/users/mutation_target",
                    "{\"username\": \"mutation_target\", \"email\": \"t@example.com\", \"first_name\": \"T\","
                            + " \"last_name\": \"G\", \"roles\": [{\"name\": \"User\"}]}"));

    @BeforeAll
    static void targets() {
        SERVER.expect(200, "POST", "/api/v1/dags/api_fail/dagRuns", "user", "{\"dag_run_id\": \"mutations\"}");
        SERVER.expect(200, "POST", "/api/v1/pools", "op", "{\"name\": \"mutation_pool\", \"slots\": 2}");
        SERVER.expect(200, "POST", "/api/v1/users", "admin", "{\"username\": \"mutation_target\", \"password\":"
                + " \"pw-654321\", \"email\": \"t@example.com\", \"first_name\": \"T\", \"last_name\": \"G\","
                + " \"roles\": [{\"name\": \"Viewer\"}]}");
    }

    @Test
    void aMutatedRequestBodyNeverGetsAServerError() {
        for (Valid valid : VALID) {
            assertThat(SERVER.send(valid.method(), valid.path(), valid.user(), valid.body(), Map.of()).status())
                    .as("the unmutated %s %s", valid.method(), valid.path()).isLessThan(300);
        }
        List<String> failures = new ArrayList<>();
        for (int seed = 0; seed < TRIES; seed++) {
            for (Valid valid : VALID) {
                Random random = new Random(seed * 31L + valid.path().hashCode());
                String body = mutate(valid.body(), random);
                ApiServer.Reply reply = SERVER.send(valid.method(), valid.path(), valid.user(), body, Map.of());
                boolean problem = reply.contentType() != null
                        && reply.contentType().startsWith("application/problem+json");
                if (reply.status() >= 500 || (reply.status() >= 400 && !problem)) {
                    failures.add("seed " + seed + ": " + valid.method() + " " + valid.path() + " " + body + " -> "
                            + reply.status() + " " + reply.body());
                }
            }
        }
        assertThat(failures).as("mutated bodies answered with a server error or without a problem").isEmpty();
    }

    /**
     * Found by the mutations (seeds 9 and 21): a NUL character (U+0000) in a text field was a 500, because
     * PostgreSQL cannot store it in text or JSONB. It is the request's fault: a 400 that says which character.
     */
    @Test
    void aNulCharacterInTextIsABadRequest() {
        assertThat(SERVER.expect(400, "POST", "/api/v1/users", "admin", "{\"username\": \"../../etc/passwd\\u0000\","
                + " \"password\": \"pw-123456\", \"email\": \"m@example.com\", \"first_name\": \"M\", \"last_name\": \"U\","
                + " \"roles\": [{\"name\": \"Viewer\"}]}").get("detail").asText()).contains("U+0000");
        SERVER.expect(400, "PATCH", "/api/v1/users/mutation_target", "admin", "{\"username\": \"mutation_target\","
                + " \"email\": \"t@example.com\", \"first_name\": \"T\", \"last_name\": \"a\\u0000b\"}");
        SERVER.expect(400, "POST", "/api/v1/dags/api_chain/dagRuns", "user", "{\"conf\": {\"word\": \"a\\u0000b\"}}");
    }

    /** One to three mutations of the tree, or (one time in six) of the JSON text. */
    static String mutate(String body, Random random) {
        if (random.nextInt(6) == 0) {
            int at = random.nextInt(body.length() + 1);
            String junk = List.of("", "{", "}", "\"", ",", ":", "[", "\\", "\u0000", "nul", "1e", "\uD800")
                    .get(random.nextInt(12));
            return random.nextBoolean() ? body.substring(0, at) + junk + body.substring(at) : body.substring(0, at);
        }
        JsonNode tree = SERVER.parse(body);
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            tree = mutateTree(tree, random);
        }
        return tree.toString();
    }

    private static JsonNode mutateTree(JsonNode node, Random random) {
        if (node instanceof ObjectNode object && !object.isEmpty() && random.nextInt(4) > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set("x_" + random.nextInt(100), odd(random));
                case 2 -> object.set(name, mutateTree(object.get(name), random));
                default -> object.set(name, odd(random));
            }
            return object;
        }
        if (node instanceof ArrayNode array && !array.isEmpty() && random.nextBoolean()) {
            int i = random.nextInt(array.size());
            array.set(i, mutateTree(array.get(i), random));
            return array;
        }
        return odd(random);
    }

    /** A value an endpoint does not expect. */
    private static JsonNode odd(Random random) {
        return switch (random.nextInt(18)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.booleanNode(random.nextBoolean());
            case 2 -> JSON.numberNode(-1);
            case 3 -> JSON.numberNode(Integer.MAX_VALUE + 1L);
            case 4 -> JSON.numberNode(new BigInteger("99999999999999999999999999"));
            case 5 -> JSON.numberNode(new BigDecimal("1e400"));
            case 6 -> JSON.numberNode(0.5);
            case 7 -> JSON.textNode("");
            case 8 -> JSON.textNode("x".repeat(5000));
            case 9 -> JSON.textNode("2026-13-45T25:61:00+00:00");
            case 10 -> JSON.textNode("0001-01-01T00:00:00+14:00");
            case 11 -> JSON.textNode("../../etc/passwd\u0000");
            case 12 -> JSON.arrayNode().add(JSON.objectNode()).add(JSON.nullNode());
            case 13 -> JSON.objectNode().set("name", JSON.arrayNode());
            case 14 -> {
                JsonNode deep = JSON.textNode("bottom");
                for (int i = 0; i < 200; i++) {
                    deep = JSON.arrayNode().add(deep);
                }
                yield deep;
            }
            case 15 -> JSON.textNode("success");
            case 16 -> JSON.textNode("\uD83D\uDE00 \u202E");
            default -> JSON.objectNode();
        };
    }
}
