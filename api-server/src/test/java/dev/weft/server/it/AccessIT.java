package dev.weft.server.it;

import dev.weft.server.WeftConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing but the health check and the login page answers without a login: not the UI's pages (they send a browser
 * to the login page), not the API, not Dropwizard's admin pages.
 */
class AccessIT {
    private static final ApiServer SERVER = new ApiServer(1024 * 1024);
    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = SERVER.app;

    @Test
    void theLandingPageNeedsALogin() {
        ApiServer.Reply anonymous = SERVER.send("GET", "/?tag=x", null, null, Map.of());
        assertThat(anonymous.status()).isEqualTo(303);
        assertThat(anonymous.header("Location")).endsWith("/login?next=%2F%3Ftag%3Dx");
        assertThat(SERVER.send("GET", "/api/v1/dags", null, null, Map.of()).status()).isEqualTo(401);
        assertThat(SERVER.send("GET", "/login", null, null, Map.of()).status()).isEqualTo(200);
        ApiServer.Reply page = SERVER.send("GET", "/", "viewer", null, Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>DAGs <small>");
    }

    @Test
    void everyResponseForbidsFramingByOtherSitesSniffingAndScriptFromElsewhere() {
        for (ApiServer.Reply reply : java.util.List.of(SERVER.send("GET", "/", "viewer", null, Map.of()),
                SERVER.send("GET", "/login", null, null, Map.of()),
                SERVER.send("GET", "/api/v1/dags", null, null, Map.of()),
                SERVER.send("GET", "/api/v1/dags", "viewer", null, Map.of()))) {
            assertThat(reply.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(reply.header("Content-Security-Policy")).contains("script-src 'self'",
                    "frame-ancestors 'self'", "object-src 'none'");
        }
    }

    @Test
    void theLandingPageShowsImportErrorsEscaped() throws Exception {
        java.nio.file.Path dags = java.nio.file.Path.of(APP.getConfiguration().getWeftHome(), "dags");
        java.nio.file.Files.createDirectories(dags);
        java.nio.file.Files.writeString(dags.resolve("broken.yaml"), "dag_id: <b>broken</b>\ntasks: [\n");
        String page = "";
        for (int i = 0; i < 100 && !page.contains("Import errors"); i++) {
            Thread.sleep(100);
            page = SERVER.send("GET", "/", "viewer", null, Map.of()).body();
        }
        assertThat(page).contains("Import errors (1)", "broken.yaml", "line ").doesNotContain("<b>broken</b>");
    }

    @Test
    void dropwizardsAdminServletsLiveUnderOpsForAdminsOnly() {
        ApiServer.Reply anonymous = SERVER.send("GET", "/ops/healthcheck", null, null, Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(SERVER.send("GET", "/ops/threads", "op", null, Map.of()).status()).isEqualTo(403);
        assertThat(SERVER.send("POST", "/ops/tasks/log-level?logger=dev.weft&level=DEBUG", "viewer", "", Map.of())
                .status()).isEqualTo(403);
        ApiServer.Reply admin = SERVER.send("GET", "/ops/healthcheck", "admin", null, Map.of());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("database");
    }

    @Test
    void sensorDeadlocksAreListedWithTheAdvice() {
        assertThat(SERVER.send("GET", "/api/v1/weft/sensorDeadlocks", "viewer", null, Map.of()).body())
                .isEqualTo("{\"sensor_deadlocks\":[]}");
        SERVER.db.database().pools().setSensorDeadlock("default_pool", java.time.Instant.parse("2026-11-24T10:00:00Z"));
        ApiServer.Reply reply = SERVER.send("GET", "/api/v1/weft/sensorDeadlocks", "viewer", null, Map.of());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("\"kind\":\"pool\"", "\"name\":\"default_pool\"",
                "\"since\":\"2026-11-24T10:00:00+00:00\"", "use mode reschedule");
        assertThat(SERVER.send("GET", "/api/v1/weft/sensorDeadlocks", null, null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void stuckTasksAreListedWithWhyAndWhatToDo() {
        assertThat(SERVER.send("GET", "/api/v1/weft/stuckTasks", null, null, Map.of()).status()).isEqualTo(401);
        var pools = SERVER.db.database().pools();
        var defaultPool = pools.find("default_pool").orElseThrow();
        pools.upsert(new dev.weft.engine.store.PoolStore.Pool("default_pool", 0, defaultPool.description(), false));
        try {
            ApiServer.Reply reply = SERVER.send("GET", "/api/v1/weft/stuckTasks", "viewer", null, Map.of());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).contains("\"tasks\":[{\"dag_id\":", "\"pool\":\"default_pool\"",
                    "\"pool_slots\":1", "\"pool_size\":0", "\"reason\":\"pool_too_small\"",
                    "Give the pool at least 1 slot (weft pools set default_pool 1)");
            assertThat(SERVER.send("GET", "/", "viewer", null, Map.of()).body())
                    .contains("Tasks that can never start (", "needs 1 slot of pool &#39;default_pool&#39;");
        } finally {
            pools.upsert(defaultPool);
        }
    }

    @Test
    void theGridIsForViewersAndShowsTheNewestRunsOldestFirstWithEachTasksStates() throws Exception {
        String grid = "/api/v1/weft/dags/api_chain/grid";
        assertThat(SERVER.send("GET", grid, null, null, Map.of()).status()).isEqualTo(401);
        assertThat(SERVER.send("GET", "/api/v1/weft/dags/no_such_dag/grid", "viewer", null, Map.of()).status())
                .isEqualTo(404);
        for (String bad : new String[]{"0", "1001", "x"}) {
            ApiServer.Reply reply = SERVER.send("GET", grid + "?num_runs=" + bad, "viewer", null, Map.of());
            assertThat(reply.status()).as("num_runs=%s", bad).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }
        for (String day : new String[]{"2026-01-02", "2026-01-01", "2026-01-03"}) {
            assertThat(SERVER.send("POST", "/api/v1/dags/api_chain/dagRuns", "admin", "{\"dag_run_id\": \"grid_" + day
                    + "\", \"logical_date\": \"" + day + "T00:00:00+00:00\"}", Map.of()).status()).isEqualTo(200);
        }
        com.fasterxml.jackson.databind.JsonNode data = null;
        for (int i = 0; i < 600; i++) {
            ApiServer.Reply reply = SERVER.send("GET", grid + "?num_runs=2", "viewer", null, Map.of());
            assertThat(reply.status()).isEqualTo(200);
            data = SERVER.json.readTree(reply.body());
            if (data.get("dag_runs").findValuesAsText("state").stream().allMatch("success"::equals)) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(data.get("dag_id").asText()).isEqualTo("api_chain");
        assertThat(data.get("dag_runs").findValuesAsText("dag_run_id")).containsExactly("grid_2026-01-02",
                "grid_2026-01-03");
        assertThat(data.get("dag_runs").findValuesAsText("state")).containsExactly("success", "success");
        assertThat(data.get("tasks").findValuesAsText("task_id")).containsExactly("a", "b", "c");
        for (var task : data.get("tasks")) {
            assertThat(task.get("states").toString()).isEqualTo("[\"success\",\"success\"]");
            assertThat(task.get("try_numbers").toString()).isEqualTo("[1,1]");
        }
        var all = SERVER.json.readTree(SERVER.send("GET", grid, "viewer", null, Map.of()).body());
        assertThat(all.get("dag_runs").findValuesAsText("dag_run_id")).startsWith("grid_2026-01-01")
                .contains("grid_2026-01-02", "grid_2026-01-03");
    }

    @Test
    void theHealthCheckIsPublic() {
        assertThat(SERVER.send("GET", "/api/v1/health", null, null, Map.of()).status()).isEqualTo(200);
    }

    /** The CSRF check reads a form's body before the body limit's filter does: it must stop at the limit too. */
    @Test
    void aFormLargerThanTheBodyLimitIsRefusedWithoutBeingReadWhole() {
        ApiServer.Reply form = SERVER.send("GET", "/login", null, null, Map.of());
        String loginToken = cookie(form, "weft_login");
        ApiServer.Reply login = SERVER.send("POST", "/login", null, "username=viewer&password=" + ApiServer.PASSWORD
                + "&next=/&login_token=" + loginToken, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", "weft_login=" + loginToken));
        assertThat(login.status()).isEqualTo(303);
        String session = cookie(login, "weft_session");

        String huge = "paused=true&back=" + "a".repeat(2 * 1024 * 1024);
        ApiServer.Reply reply = SERVER.send("POST", "/dags/any/pause", null, huge, Map.of(
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", "weft_session=" + session));
        assertThat(reply.status()).isEqualTo(413);
    }

    private static String cookie(ApiServer.Reply reply, String name) {
        return reply.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElseThrow();
    }
}
