package dev.weft.server.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.WeftConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API end to end: the real server on its own database, every response validated against Airflow's v1
 * OpenAPI contract (see {@link ApiServer#validate}), including the error responses.
 */
class ApiContractIT {
    static final ApiServer SERVER = new ApiServer(1024 * 1024);
    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = SERVER.app;

    @AfterAll
    static void everyEndpointWasValidated() {
        List<String> missing = ApiServer.ENDPOINTS.stream()
                .filter(e -> !SERVER.validated.getOrDefault(e, false)).toList();
        assertThat(missing).as("endpoints without a validated successful response").isEmpty();
    }

    private static JsonNode expect(int status, String method, String path, String user, String body) {
        return SERVER.expect(status, method, path, user, body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode awaitRun(String dagId, String runId, Predicate<String> state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode run = expect(200, "GET", "/api/v1/dags/" + dagId + "/dagRuns/" + enc(runId), "viewer", null);
            if (state.test(run.get("state").asText())) {
                return run;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("run " + runId + " still " + run.get("state"));
            }
            Thread.sleep(200);
        }
    }

    @Test
    void healthNeedsNoLoginAndEverythingElseDoes() {
        JsonNode health = expect(200, "GET", "/api/v1/health", null, null);
        assertThat(health.get("metadatabase").get("status").asText()).isEqualTo("healthy");
        JsonNode version = expect(200, "GET", "/api/v1/version", "viewer", null);
        assertThat(version.get("version").asText()).isNotBlank();
        assertThat(SERVER.call("GET", "/api/v1/version", null, null).status()).isEqualTo(401);
        assertThat(SERVER.call("GET", "/api/v1/dags", "admin:wrong", null).status()).isEqualTo(401);
        var yaml = SERVER.call("GET", "/api/v1/openapi.yaml", "viewer", null);
        assertThat(yaml.status()).isEqualTo(200);
        JsonNode doc = SERVER.parse("{}");
        try {
            doc = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        List<String> listed = new ArrayList<>();
        doc.get("x-weft-airflow-endpoints").forEach(n -> listed.add(n.asText()));
        assertThat(listed).as("the endpoints openapi.yaml lists are those implemented and tested")
                .containsExactlyInAnyOrderElementsOf(ApiServer.ENDPOINTS.stream()
                        .map(e -> e.replace("/api/v1", "")).toList());
        assertThat(SERVER.call("GET", "/api/v1/openapi.yaml", null, null).status()).isEqualTo(401);
    }

    @Test
    void dagsListFilterPageAndSortAsAirflowDoes() {
        JsonNode all = expect(200, "GET", "/api/v1/dags?dag_id_pattern=API_", "viewer", null);
        assertThat(all.get("total_entries").asInt()).isEqualTo(4);
        assertThat(all.get("dags").findValuesAsText("dag_id"))
                .containsExactly("api_chain", "api_daily", "api_fail", "api_interval");
        JsonNode page = expect(200, "GET", "/api/v1/dags?dag_id_pattern=api&order_by=-dag_id&limit=2&offset=1",
                "viewer", null);
        assertThat(page.get("dags").findValuesAsText("dag_id")).containsExactly("api_fail", "api_daily");
        assertThat(page.get("total_entries").asInt()).isEqualTo(4);
        assertThat(expect(200, "GET", "/api/v1/dags?dag_id_pattern=api&limit=0", "viewer", null)
                .get("dags").size()).isEqualTo(4);
        assertThat(expect(200, "GET", "/api/v1/dags?limit=1000", "viewer", null).get("dags").size())
                .isLessThanOrEqualTo(100);
        assertThat(expect(200, "GET", "/api/v1/dags?tags=chain&tags=scheduled", "viewer", null)
                .get("dags").findValuesAsText("dag_id")).containsExactly("api_chain", "api_daily");
        assertThat(expect(200, "GET", "/api/v1/dags?dag_id_pattern=api&paused=true", "viewer", null)
                .get("dags").findValuesAsText("dag_id")).containsExactly("api_daily", "api_interval");
        JsonNode fields = expect(200, "GET", "/api/v1/dags?dag_id_pattern=api_chain&fields=dag_id,is_paused",
                "viewer", null);
        assertThat(fields.get("dags").get(0).size()).isEqualTo(2);
        assertThat(expect(400, "GET", "/api/v1/dags?limit=-1", "viewer", null).get("detail").asText())
                .isEqualTo("Page limit must be a positive integer");
        expect(400, "GET", "/api/v1/dags?limit=many", "viewer", null);
        expect(400, "GET", "/api/v1/dags?offset=-3", "viewer", null);
        expect(400, "GET", "/api/v1/dags?order_by=fileloc", "viewer", null);
        expect(400, "GET", "/api/v1/dags?fields=nope", "viewer", null);
    }

    @Test
    void aDagItsDetailsAndItsTasks() {
        JsonNode daily = expect(200, "GET", "/api/v1/dags/api_daily", "viewer", null);
        assertThat(daily.get("schedule_interval").toString())
                .isEqualTo("{\"__type\":\"CronExpression\",\"value\":\"@daily\"}");
        assertThat(daily.get("is_paused").asBoolean()).isTrue();
        assertThat(daily.get("timetable_description").asText()).isNotBlank();
        JsonNode interval = expect(200, "GET", "/api/v1/dags/api_interval?fields=schedule_interval", "viewer", null);
        assertThat(interval.get("schedule_interval").toString())
                .isEqualTo("{\"__type\":\"TimeDelta\",\"days\":0,\"seconds\":18000,\"microseconds\":0}");
        JsonNode details = expect(200, "GET", "/api/v1/dags/api_daily/details", "viewer", null);
        assertThat(details.get("start_date").asText()).isEqualTo("2026-01-01T00:00:00+00:00");
        assertThat(details.get("dag_run_timeout").get("seconds").asInt()).isEqualTo(7200);
        assertThat(details.get("catchup").asBoolean()).isFalse();
        JsonNode chain = expect(200, "GET", "/api/v1/dags/api_chain/details", "viewer", null);
        assertThat(chain.get("params").get("greeting").get("value").asText()).isEqualTo("hello");
        JsonNode tasks = expect(200, "GET", "/api/v1/dags/api_chain/tasks?order_by=-task_id", "viewer", null);
        assertThat(tasks.get("tasks").findValuesAsText("task_id")).containsExactly("c", "b", "a");
        JsonNode b = expect(200, "GET", "/api/v1/dags/api_chain/tasks/b", "viewer", null);
        assertThat(b.get("retries").asInt()).isEqualTo(2);
        assertThat(b.get("retry_delay").get("seconds").asInt()).isEqualTo(30);
        assertThat(b.get("downstream_task_ids").toString()).isEqualTo("[\"c\"]");
        assertThat(b.get("class_ref").get("class_name").asText()).isEqualTo("standard.empty");
        expect(400, "GET", "/api/v1/dags/api_chain/tasks?order_by=color", "viewer", null);
        assertThat(expect(404, "GET", "/api/v1/dags/nope", "viewer", null).get("title").asText())
                .isEqualTo("DAG not found");
        expect(404, "GET", "/api/v1/dags/nope/details", "viewer", null);
        expect(404, "GET", "/api/v1/dags/nope/tasks", "viewer", null);
        expect(404, "GET", "/api/v1/dags/api_chain/tasks/zz", "viewer", null);
    }

    @Test
    void pauseAndUnpauseWithUpdateMask() {
        // api_chain has no schedule: unpausing it creates no runs.
        JsonNode paused = expect(200, "PATCH", "/api/v1/dags/api_chain?update_mask=is_paused", "user",
                "{\"is_paused\": true}");
        assertThat(paused.get("is_paused").asBoolean()).isTrue();
        assertThat(expect(200, "PATCH", "/api/v1/dags/api_chain", "user", "{\"is_paused\": false}")
                .get("is_paused").asBoolean()).isFalse();
        assertThat(expect(400, "PATCH", "/api/v1/dags/api_interval?update_mask=description", "user",
                "{\"is_paused\": true}").get("detail").asText())
                .isEqualTo("Only `is_paused` field can be updated through the REST API");
        assertThat(expect(400, "PATCH", "/api/v1/dags/api_interval", "user",
                "{\"is_paused\": true, \"description\": \"x\"}").get("detail").asText())
                .isEqualTo("{'description': ['Unknown field.']}");
        expect(403, "PATCH", "/api/v1/dags/api_interval", "viewer", "{\"is_paused\": true}");
        expect(404, "PATCH", "/api/v1/dags/nope", "user", "{\"is_paused\": true}");
    }

    @Test
    void theUsersCurlTriggersARunThatExecutesAndWritesLogs() throws Exception {
        JsonNode run = expect(200, "POST", "/api/v1/dags/api_chain/dagRuns", "admin",
                "{\"conf\":{\"word\":\"hi\"}}");
        String runId = run.get("dag_run_id").asText();
        assertThat(runId).matches("manual__\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");
        assertThat(run.get("run_type").asText()).isEqualTo("manual");
        assertThat(run.get("state").asText()).isEqualTo("queued");
        assertThat(run.get("external_trigger").asBoolean()).isTrue();
        assertThat(run.get("conf").get("word").asText()).isEqualTo("hi");
        assertThat(run.get("logical_date").asText()).isEqualTo(run.get("execution_date").asText());
        assertThat(runId).isEqualTo("manual__" + run.get("logical_date").asText());

        JsonNode done = awaitRun("api_chain", runId, s -> s.equals("success") || s.equals("failed"));
        assertThat(done.get("state").asText()).isEqualTo("success");
        assertThat(done.get("end_date").isNull()).isFalse();

        String base = "/api/v1/dags/api_chain/dagRuns/" + enc(runId) + "/taskInstances";
        JsonNode tis = expect(200, "GET", base, "viewer", null);
        assertThat(tis.get("total_entries").asInt()).isEqualTo(3);
        assertThat(tis.get("task_instances").findValuesAsText("state")).containsOnly("success");
        JsonNode a = expect(200, "GET", base + "/a", "viewer", null);
        assertThat(a.get("try_number").asInt()).isEqualTo(1);
        assertThat(a.get("operator").asText()).isEqualTo("standard.shell");
        assertThat(expect(200, "GET", base + "?state=success&limit=1", "viewer", null).get("task_instances")
                .size()).isEqualTo(1);
        expect(404, "GET", base + "/zz", "viewer", null);

        JsonNode log = expect(200, "GET", base + "/a/logs/1", "viewer", null);
        assertThat(log.get("content").asText()).contains("hello from a").contains("conf says hi");
        JsonNode rest = expect(200, "GET", base + "/a/logs/1?token=" + enc(log.get("continuation_token").asText()),
                "viewer", null);
        assertThat(rest.get("content").asText()).isEmpty();
        var text = SERVER.call("GET", base + "/a/logs/1?full_content=true", "viewer", null,
                Map.of("Accept", "text/plain"));
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.body()).contains("hello from a");
        assertThat(expect(400, "GET", base + "/a/logs/1?token=forged.token", "viewer", null).get("detail").asText())
                .startsWith("Bad Signature");
        expect(404, "GET", base + "/zz/logs/1", "viewer", null);

        JsonNode lineage = SERVER.parse(SERVER.call("GET", "/api/v1/weft/dags/api_chain/dagRuns/" + enc(runId)
                + "/lineage", "viewer", null).body());
        assertThat(lineage.get("triggered_by").isNull()).isTrue();
        assertThat(lineage.get("triggered_runs").size()).isZero();
    }

    @Test
    void triggerErrorsAreAirflowsAndProblemJson() {
        String path = "/api/v1/dags/api_chain/dagRuns";
        assertThat(SERVER.call("POST", path, "user", "").status()).isEqualTo(400);
        assertThat(expect(400, "POST", path, "user", "").get("detail").asText()).contains("body is required");
        assertThat(expect(400, "POST", path, "user", "{\"conf\": \"x\"}").get("detail").asText())
                .isEqualTo("{'conf': ['Not a valid mapping type.']}");
        expect(400, "POST", path, "user", "{\"conf\": [1, 2]}");
        assertThat(expect(400, "POST", path, "user", "{\"conf\": {\"a\": 1}, \"state\": \"running\"}")
                .get("detail").asText()).isEqualTo("{'state': ['Unknown field.']}");
        assertThat(expect(400, "POST", path, "user", "{\"conf\": {\n \"a\": }").get("detail").asText())
                .contains("line 2");
        assertThat(expect(400, "POST", path, "user", "{\"logical_date\": \"2026-03-01T00:00:00\"}")
                .get("detail").asText()).startsWith("Naive datetime is disallowed");
        assertThat(expect(400, "POST", path, "user", "{\"logical_date\": \"2026-03-01T00:00:00+00:00\","
                + " \"execution_date\": \"2026-03-02T00:00:00+00:00\"}").get("detail").asText())
                .isEqualTo("logical_date conflicts with execution_date");
        assertThat(expect(400, "POST", path, "user", "{\"dag_run_id\": \"scheduled__x\"}").get("detail").asText())
                .contains("reserved for scheduled runs");
        expect(400, "POST", path, "user", "{\"dag_run_id\": \"has space\"}");
        expect(400, "POST", path, "user", "{\"data_interval_start\": \"2026-03-01T00:00:00+00:00\"}");
        assertThat(expect(404, "POST", "/api/v1/dags/no_such_dag/dagRuns", "user", "{}").get("title").asText())
                .isEqualTo("DAG not found");
        expect(403, "POST", path, "viewer", "{}");
        assertThat(SERVER.call("POST", path, "user:bad", "{}").status()).isEqualTo(401);
        assertThat(SERVER.call("POST", path, null, "{}").status()).isEqualTo(401);

        JsonNode first = expect(200, "POST", "/api/v1/dags/api_daily/dagRuns", "user",
                "{\"dag_run_id\": \"twice\", \"execution_date\": \"2026-02-01T00:00:00Z\", \"note\": \"n\"}");
        assertThat(first.get("logical_date").asText()).isEqualTo("2026-02-01T00:00:00+00:00");
        assertThat(first.get("note").asText()).isEqualTo("n");
        assertThat(first.get("state").asText()).isEqualTo("queued");
        assertThat(expect(409, "POST", "/api/v1/dags/api_daily/dagRuns", "user", "{\"dag_run_id\": \"twice\"}")
                .get("detail").asText()).isEqualTo("DAGRun with DAG ID: 'api_daily' and DAGRun ID: 'twice' already exists");
        assertThat(expect(409, "POST", "/api/v1/dags/api_daily/dagRuns", "user",
                "{\"logical_date\": \"2026-02-01T00:00:00+00:00\"}").get("detail").asText())
                .isEqualTo("DAGRun with DAG ID: 'api_daily' and DAGRun logical date: '2026-02-01 00:00:00+00:00'"
                        + " already exists");

        String big = "{\"conf\": {\"blob\": \"" + "x".repeat(1024 * 1024 + 10) + "\"}}";
        assertThat(expect(413, "POST", path, "user", big).get("title").asText()).isEqualTo("Payload Too Large");
        var wrongType = SERVER.call("POST", path, "user", "conf=1", Map.of("Content-Type", "text/plain"));
        assertThat(wrongType.status()).isEqualTo(415);
    }

    @Test
    void concurrentTriggersWithOneRunIdCreateExactlyOneRun() {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("user:" + ApiServer.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 200; i++) {
            calls.add(SERVER.http.sendAsync(HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                            + APP.getLocalPort() + "/api/v1/dags/api_interval/dagRuns"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"dag_run_id\": \"same_id\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int created = 0;
        int conflicts = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.join();
            SERVER.validate("POST", "/api/v1/dags/api_interval/dagRuns", new ApiServer.Reply(r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(null), r.headers().map(), r.body()));
            if (r.statusCode() == 200) {
                created++;
            } else if (r.statusCode() == 409) {
                conflicts++;
            }
        }
        assertThat(created).isEqualTo(1);
        assertThat(conflicts).isEqualTo(199);
        assertThat(expect(200, "GET", "/api/v1/dags/api_interval/dagRuns", "viewer", null)
                .get("total_entries").asInt()).isEqualTo(1);
    }

    @Test
    void runsListWithFiltersAndTheBatchForm() {
        expect(200, "POST", "/api/v1/dags/api_fail/dagRuns", "user",
                "{\"dag_run_id\": \"list_1\", \"logical_date\": \"2026-04-01T00:00:00+00:00\"}");
        expect(200, "POST", "/api/v1/dags/api_fail/dagRuns", "user",
                "{\"dag_run_id\": \"list_2\", \"logical_date\": \"2026-04-02T00:00:00+00:00\"}");
        JsonNode listed = expect(200, "GET", "/api/v1/dags/api_fail/dagRuns?execution_date_gte="
                + enc("2026-04-01T00:00:00+00:00") + "&execution_date_lte=2026-04-01T12:00:00Z", "viewer", null);
        assertThat(listed.get("dag_runs").findValuesAsText("dag_run_id")).containsExactly("list_1");
        JsonNode desc = expect(200, "GET", "/api/v1/dags/api_fail/dagRuns?order_by=-execution_date"
                + "&execution_date_lte=2026-04-30T00:00:00Z"
                + "&fields=dag_run_id", "viewer", null);
        assertThat(desc.get("dag_runs").get(0).get("dag_run_id").asText()).isEqualTo("list_2");
        assertThat(desc.get("dag_runs").get(0).size()).isEqualTo(1);
        JsonNode all = expect(200, "GET", "/api/v1/dags/~/dagRuns?limit=1", "viewer", null);
        assertThat(all.get("total_entries").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(expect(200, "GET", "/api/v1/dags/unknown_dag/dagRuns", "viewer", null)
                .get("total_entries").asInt()).isZero();
        expect(400, "GET", "/api/v1/dags/api_fail/dagRuns?order_by=color", "viewer", null);
        expect(400, "GET", "/api/v1/dags/api_fail/dagRuns?start_date_gte=yesterday", "viewer", null);
        expect(400, "GET", "/api/v1/dags/api_fail/dagRuns?end_date_lte=2026-04-01T00:00:00", "viewer", null);
        JsonNode batch = expect(200, "POST", "/api/v1/dags/~/dagRuns/list", "viewer",
                "{\"dag_ids\": [\"api_fail\"], \"order_by\": \"-execution_date\", \"page_limit\": 1,"
                        + " \"execution_date_lte\": \"2026-04-30T00:00:00Z\"}");
        assertThat(batch.get("dag_runs").findValuesAsText("dag_run_id")).containsExactly("list_2");
        assertThat(batch.get("total_entries").asInt()).isEqualTo(2);
        expect(400, "POST", "/api/v1/dags/~/dagRuns/list", "viewer", "{\"page_limit\": 0}");
        expect(400, "POST", "/api/v1/dags/~/dagRuns/list", "viewer", "{\"dag_id\": [\"x\"]}");
    }

    @Test
    void dependenciesListEveryDagWithItsLinksByKindAndItsLastRun() throws Exception {
        ApiServer.Reply reply = SERVER.call("GET", "/api/v1/weft/dependencies", "viewer", null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        // The answer is the shape Weft's own OpenAPI file says.
        String weftSpec = SERVER.call("GET", "/api/v1/openapi.yaml", "viewer", null).body();
        ValidationReport report = OpenApiInteractionValidator.createForInlineApiSpecification(weftSpec).build()
                .validateResponse("/weft/dependencies", Request.Method.GET, SimpleResponse.Builder.status(200)
                        .withContentType("application/json").withBody(reply.body()).build());
        assertThat(report.getMessages()).as(reply.body()).isEmpty();

        JsonNode graph = SERVER.parse(reply.body());
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        graph.get("dags").forEach(d -> byId.put(d.get("dag_id").asText(), d));
        assertThat(graph.get("total_entries").asInt()).isEqualTo(byId.size());
        JsonNode triggers = byId.get("listing_6_04_dag01").get("edges").get("trigger");
        assertThat(triggers).hasSize(4);
        assertThat(triggers.get(0).get("task_id").asText()).isEqualTo("trigger_create_metrics_dag_supermarket_1");
        assertThat(triggers.get(0).get("downstream_dag_id").asText()).isEqualTo("listing_6_04_dag02");
        JsonNode sensor = byId.get("figure_6_20_dag_2").get("edges").get("external_sensor").get(0);
        assertThat(sensor.get("upstream_dag_id").asText()).isEqualTo("figure_6_20_dag_1");
        assertThat(sensor.get("downstream_dag_id").asText()).isEqualTo("figure_6_20_dag_2");
        assertThat(sensor.get("external_task_ids").get(0).asText()).isEqualTo("process_supermarket");
        JsonNode dataset = byId.get("ds_producer").get("edges").get("dataset");
        assertThat(dataset).hasSize(1);
        assertThat(dataset.get(0).get("task_id").asText()).isEqualTo("publish");
        assertThat(dataset.get(0).get("downstream_dag_id").asText()).isEqualTo("ds_consumer");
        assertThat(dataset.get(0).get("dataset").asText()).isEqualTo(ApiTestDags.DATASET);
        assertThat(byId.get("ds_consumer").get("edges").get("dataset")).isEmpty();
        // The example DAGs catch up on their last days: the newest of those runs is the last run.
        JsonNode newest = expect(200, "GET", "/api/v1/dags/figure_6_20_dag_1/dagRuns?order_by=-execution_date&limit=1",
                "viewer", null).get("dag_runs").get(0);
        JsonNode last = byId.get("figure_6_20_dag_1").get("last_dag_run");
        assertThat(last.get("dag_run_id").asText()).isEqualTo(newest.get("dag_run_id").asText());
        assertThat(last.get("logical_date").asText()).isEqualTo(newest.get("logical_date").asText());
        assertThat(byId.get("api_chain").get("edges").get("trigger")).isEmpty();
        assertThat(SERVER.call("GET", "/api/v1/weft/dependencies", null, null).status()).isEqualTo(401);
    }

    @Test
    void includeSubdagsClearsTheExternalSensorsThatWaitedOnTheTaskThenRerunsThemAfterIt() throws Exception {
        String dag1 = "/api/v1/dags/figure_6_20_dag_1";
        String dag2 = "/api/v1/dags/figure_6_20_dag_2";
        expect(200, "POST", dag1 + "/dagRuns", "user",
                "{\"dag_run_id\": \"rc_16\", \"logical_date\": \"2025-06-02T16:00:00+00:00\"}");
        awaitRun("figure_6_20_dag_1", "rc_16", s -> s.equals("success"));
        // At 18:00 the sensor looks at 16:00 (execution_delta 2 h): the engine records that it looked there.
        expect(200, "POST", dag2 + "/dagRuns", "user",
                "{\"dag_run_id\": \"rc_18\", \"logical_date\": \"2025-06-02T18:00:00+00:00\"}");
        awaitRun("figure_6_20_dag_2", "rc_18", s -> s.equals("success"));

        String clear = dag1 + "/clearTaskInstances";
        String body = "{\"dag_run_id\": \"rc_16\", \"task_ids\": [\"process_supermarket\"], \"only_failed\": false,"
                + " \"reset_dag_runs\": true, \"include_subdags\": true";
        JsonNode dry = expect(200, "POST", clear, "user", body + "}");
        List<String> listed = new ArrayList<>();
        dry.get("task_instances").forEach(ti -> listed.add(ti.get("dag_id").asText() + "/"
                + ti.get("dag_run_id").asText() + "/" + ti.get("task_id").asText()));
        assertThat(listed).containsExactly("figure_6_20_dag_1/rc_16/process_supermarket",
                "figure_6_20_dag_2/rc_18/wait_for_process_supermarket", "figure_6_20_dag_2/rc_18/report");
        assertThat(expect(200, "POST", clear, "user", body.replace("\"include_subdags\": true",
                "\"include_subdags\": false") + "}").get("task_instances")).hasSize(1);
        assertThat(expect(400, "POST", clear + "?recursion_depth=0", "user", body + "}").get("detail").asText())
                .contains("recursion_depth must be between 1 and 100");

        JsonNode cleared = expect(200, "POST", clear, "user", body + ", \"dry_run\": false}");
        assertThat(cleared.get("task_instances")).hasSize(3);
        // The sensor pokes again and waits until process_supermarket has run again: each task once more, in order.
        awaitRun("figure_6_20_dag_1", "rc_16", s -> s.equals("success"));
        awaitRun("figure_6_20_dag_2", "rc_18", s -> s.equals("success"));
        JsonNode process = expect(200, "GET", dag1 + "/dagRuns/rc_16/taskInstances/process_supermarket", "viewer", null);
        JsonNode sensor = expect(200, "GET", dag2 + "/dagRuns/rc_18/taskInstances/wait_for_process_supermarket",
                "viewer", null);
        JsonNode report = expect(200, "GET", dag2 + "/dagRuns/rc_18/taskInstances/report", "viewer", null);
        assertThat(List.of(process, sensor, report)).allSatisfy(ti -> assertThat(ti.get("try_number").asInt())
                .as(ti.get("task_id").asText()).isEqualTo(2));
        assertThat(expect(200, "GET", dag1 + "/dagRuns/rc_16/taskInstances/copy_to_raw", "viewer", null)
                .get("try_number").asInt()).isEqualTo(1);
        assertThat(sensor.get("end_date").asText()).isGreaterThanOrEqualTo(process.get("end_date").asText());
        assertThat(report.get("start_date").asText()).isGreaterThanOrEqualTo(sensor.get("end_date").asText());
    }

    @Test
    void clearMarkAndDeleteRunsAndTaskInstances() throws Exception {
        expect(200, "POST", "/api/v1/dags/api_fail/dagRuns", "user",
                "{\"dag_run_id\": \"boom_1\", \"logical_date\": \"2026-05-01T00:00:00+00:00\"}");
        awaitRun("api_fail", "boom_1", s -> s.equals("failed"));
        String clear = "/api/v1/dags/api_fail/clearTaskInstances";
        JsonNode states = expect(200, "GET", "/api/v1/dags/api_fail/dagRuns/boom_1/taskInstances", "viewer", null);
        assertThat(states.get("task_instances").findValuesAsText("state")).as(states.toString())
                .containsExactly("upstream_failed", "failed");
        JsonNode dry = expect(200, "POST", clear, "user", "{\"dag_run_id\": \"boom_1\"}");
        assertThat(dry.get("task_instances").findValuesAsText("task_id")).containsExactly("after", "boom");
        assertThat(dry.get("task_instances").get(0).get("execution_date").asText())
                .isEqualTo("2026-05-01T00:00:00+00:00");
        JsonNode onlyBoom = expect(200, "POST", clear, "user", "{\"dag_run_id\": \"boom_1\", \"task_ids\": [\"boom\"],"
                + " \"only_failed\": false}");
        assertThat(onlyBoom.get("task_instances").findValuesAsText("task_id")).containsExactly("boom");
        JsonNode down = expect(200, "POST", clear, "user", "{\"start_date\": \"2026-05-01T00:00:00+00:00\","
                + " \"end_date\": \"2026-05-01T00:00:00+00:00\", \"task_ids\": [\"boom\"], \"include_downstream\": true}");
        assertThat(down.get("task_instances").size()).isEqualTo(2);
        expect(400, clear.isEmpty() ? "" : "POST", clear, "user", "{\"only_failed\": true, \"only_running\": true}");
        expect(400, "POST", clear, "user", "{\"dag_run_id\": \"boom_1\", \"start_date\": \"2026-05-01T00:00:00Z\"}");
        expect(400, "POST", clear, "user", "{\"start_date\": \"2026-05-02T00:00:00Z\", \"end_date\": \"2026-05-01T00:00:00Z\"}");
        expect(400, "POST", clear, "user", "{\"task_ids\": []}");
        expect(404, "POST", clear, "user", "{\"dag_run_id\": \"nope\"}");
        expect(404, "POST", "/api/v1/dags/nope/clearTaskInstances", "user", "{}");
        expect(403, "POST", clear, "viewer", "{}");

        JsonNode cleared = expect(200, "POST", clear, "user", "{\"dag_run_id\": \"boom_1\", \"dry_run\": false,"
                + " \"only_failed\": false, \"reset_dag_runs\": true}");
        assertThat(cleared.get("task_instances").size()).isEqualTo(2);
        awaitRun("api_fail", "boom_1", s -> s.equals("failed"));
        JsonNode boom = expect(200, "GET", "/api/v1/dags/api_fail/dagRuns/boom_1/taskInstances/boom", "viewer", null);
        assertThat(boom.get("try_number").asInt()).isEqualTo(2);

        String run = "/api/v1/dags/api_fail/dagRuns/boom_1";
        JsonNode runDry = expect(200, "POST", run + "/clear", "user", "{}");
        assertThat(runDry.get("task_instances").size()).isEqualTo(2);
        JsonNode requeued = expect(200, "POST", run + "/clear", "user", "{\"dry_run\": false}");
        assertThat(requeued.get("dag_run_id").asText()).isEqualTo("boom_1");
        awaitRun("api_fail", "boom_1", s -> s.equals("failed"));
        expect(404, "POST", "/api/v1/dags/api_fail/dagRuns/nope/clear", "user", "{}");

        JsonNode setDry = expect(200, "POST", "/api/v1/dags/api_fail/updateTaskInstancesState", "user",
                "{\"task_id\": \"boom\", \"dag_run_id\": \"boom_1\", \"new_state\": \"success\","
                        + " \"include_downstream\": true}");
        assertThat(setDry.get("task_instances").findValuesAsText("task_id")).containsExactly("after", "boom");
        expect(400, "POST", "/api/v1/dags/api_fail/updateTaskInstancesState", "user",
                "{\"task_id\": \"boom\", \"new_state\": \"success\"}");
        expect(400, "POST", "/api/v1/dags/api_fail/updateTaskInstancesState", "user",
                "{\"task_id\": \"boom\", \"dag_run_id\": \"boom_1\", \"new_state\": \"running\"}");
        expect(404, "POST", "/api/v1/dags/api_fail/updateTaskInstancesState", "user",
                "{\"task_id\": \"zz\", \"dag_run_id\": \"boom_1\", \"new_state\": \"success\"}");
        JsonNode ref = expect(200, "PATCH", run + "/taskInstances/boom", "user",
                "{\"dry_run\": false, \"new_state\": \"success\"}");
        assertThat(ref.get("task_id").asText()).isEqualTo("boom");
        assertThat(expect(200, "GET", run + "/taskInstances/boom", "viewer", null).get("state").asText())
                .isEqualTo("success");
        expect(404, "PATCH", run + "/taskInstances/zz", "user", "{\"new_state\": \"success\"}");
        expect(400, "PATCH", run + "/taskInstances/boom", "user", "{\"new_state\": \"queued\"}");

        JsonNode marked = expect(200, "PATCH", run, "user", "{\"state\": \"success\"}");
        assertThat(marked.get("state").asText()).isEqualTo("success");
        assertThat(expect(400, "PATCH", run, "user", "{\"state\": \"running\"}").get("detail").asText())
                .contains("Must be one of");
        expect(403, "PATCH", run, "viewer", "{\"state\": \"failed\"}");

        JsonNode batch = expect(200, "POST", "/api/v1/dags/~/dagRuns/~/taskInstances/list", "viewer",
                "{\"dag_ids\": [\"api_fail\"], \"dag_run_ids\": [\"boom_1\"], \"state\": [\"success\"]}");
        assertThat(batch.get("task_instances").findValuesAsText("task_id")).containsExactly("after", "boom");
        JsonNode allRuns = expect(200, "GET", "/api/v1/dags/~/dagRuns/~/taskInstances?queue=default&pool=default_pool"
                + "&limit=5", "viewer", null);
        assertThat(allRuns.get("task_instances").size()).isPositive();
        assertThat(expect(200, "GET", "/api/v1/dags/~/dagRuns/~/taskInstances?executor=celery", "viewer", null)
                .get("total_entries").asInt()).isZero();

        SERVER.validate("DELETE", run, SERVER.send("DELETE", run, "user", null, Map.of()));
        expect(404, "GET", run, "viewer", null);
        expect(404, "DELETE", run, "user", null);
    }

    @Test
    void datasetsTheirEventsAndTheRunsThatConsumeThem() throws Exception {
        String stock = enc(ApiTestDags.WAITED);
        JsonNode list = expect(200, "GET", "/api/v1/datasets?uri_pattern=warehouse&order_by=uri", "viewer", null);
        assertThat(list.get("datasets").findValuesAsText("uri")).containsExactly(ApiTestDags.DATASET,
                "warehouse:never", ApiTestDags.WAITED);
        JsonNode produced1 = expect(200, "GET", "/api/v1/datasets?dag_ids=ds_producer", "viewer", null);
        assertThat(produced1.get("datasets").findValuesAsText("uri")).containsExactly(ApiTestDags.DATASET);
        assertThat(produced1.get("datasets").get(0).get("consuming_dags").findValuesAsText("dag_id"))
                .containsExactly("ds_consumer");
        assertThat(produced1.get("datasets").get(0).get("producing_tasks").findValuesAsText("task_id"))
                .containsExactly("publish");
        JsonNode dataset = expect(200, "GET", "/api/v1/datasets/" + stock, "viewer", null);
        assertThat(dataset.get("consuming_dags").findValuesAsText("dag_id")).containsExactly("ds_waiting");
        expect(404, "GET", "/api/v1/datasets/" + enc("nobody:knows"), "viewer", null);
        expect(400, "GET", "/api/v1/datasets?order_by=extra", "viewer", null);

        // A task's successful try updates its outlet, which starts the DAG scheduled on it.
        expect(200, "PATCH", "/api/v1/dags/ds_producer", "user", "{\"is_paused\": false}");
        expect(200, "PATCH", "/api/v1/dags/ds_consumer", "user", "{\"is_paused\": false}");
        JsonNode produced = expect(200, "POST", "/api/v1/dags/ds_producer/dagRuns", "user", "{}");
        awaitRun("ds_producer", produced.get("dag_run_id").asText(), "success"::equals);
        JsonNode consumerRun = awaitFirstRun("ds_consumer");
        assertThat(consumerRun.get("run_type").asText()).isEqualTo("dataset_triggered");
        assertThat(consumerRun.get("dag_run_id").asText()).startsWith("dataset_triggered__");
        JsonNode upstream = expect(200, "GET", "/api/v1/dags/ds_consumer/dagRuns/"
                + enc(consumerRun.get("dag_run_id").asText()) + "/upstreamDatasetEvents", "viewer", null);
        assertThat(upstream.get("dataset_events")).singleElement().satisfies(e -> {
            assertThat(e.get("source_dag_id").asText()).isEqualTo("ds_producer");
            assertThat(e.get("source_task_id").asText()).isEqualTo("publish");
            assertThat(e.get("source_run_id").asText()).isEqualTo(produced.get("dag_run_id").asText());
            assertThat(e.get("created_dagruns").findValuesAsText("dag_id")).containsExactly("ds_consumer");
        });
        JsonNode events = expect(200, "GET", "/api/v1/datasets/events?source_dag_id=ds_producer&order_by=-timestamp",
                "viewer", null);
        assertThat(events.get("total_entries").asInt()).isEqualTo(1);
        expect(404, "GET", "/api/v1/dags/ds_consumer/dagRuns/nope/upstreamDatasetEvents", "viewer", null);
        // The recursive clear's dry run follows the dataset link to the run that consumed the event.
        JsonNode dry = expect(200, "POST", "/api/v1/dags/ds_producer/clearTaskInstances", "user", "{\"dag_run_id\": \""
                + produced.get("dag_run_id").asText() + "\", \"task_ids\": [\"publish\"], \"only_failed\": false,"
                + " \"include_subdags\": true}");
        List<String> reached = new ArrayList<>();
        dry.get("task_instances").forEach(ti -> reached.add(ti.get("dag_id").asText() + "/"
                + ti.get("dag_run_id").asText() + "/" + ti.get("task_id").asText()));
        assertThat(reached).containsExactly("ds_producer/" + produced.get("dag_run_id").asText() + "/publish",
                "ds_consumer/" + consumerRun.get("dag_run_id").asText() + "/use");

        // External producers post events; an idempotency key records one.
        expect(403, "POST", "/api/v1/datasets/events", "viewer", "{\"dataset_uri\": \"" + ApiTestDags.WAITED + "\"}");
        expect(400, "POST", "/api/v1/datasets/events", "user", "{\"extra\": {}}");
        expect(400, "POST", "/api/v1/datasets/events", "user", "{\"dataset_uri\": \"has space\"}");
        expect(404, "POST", "/api/v1/datasets/events", "user", "{\"dataset_uri\": \"s3://nobody/knows\"}");
        String keyed = "{\"dataset_uri\": \"" + ApiTestDags.WAITED + "\", \"extra\": {\"dedup_key\": \"upload-1\"}}";
        JsonNode first = expect(200, "POST", "/api/v1/datasets/events", "user", keyed);
        JsonNode again = expect(200, "POST", "/api/v1/datasets/events", "user", keyed);
        assertThat(again.get("timestamp").asText()).isEqualTo(first.get("timestamp").asText());
        assertThat(first.get("extra").get("dedup_key").asText()).isEqualTo("upload-1");
        assertThat(expect(200, "GET", "/api/v1/datasets/events?dataset_id=" + first.get("dataset_id").asText(),
                "viewer", null).get("total_entries").asInt()).isEqualTo(1);

        // ds_waiting also needs s3://warehouse/never: its event waits in the queue.
        JsonNode queued = expect(200, "GET", "/api/v1/dags/ds_waiting/datasets/queuedEvent", "viewer", null);
        assertThat(queued.get("datasets").findValuesAsText("uri")).containsExactly(ApiTestDags.WAITED);
        expect(200, "GET", "/api/v1/dags/ds_waiting/datasets/queuedEvent/" + stock, "viewer", null);
        expect(200, "GET", "/api/v1/datasets/queuedEvent/" + stock, "viewer", null);
        expect(404, "GET", "/api/v1/dags/ds_waiting/datasets/queuedEvent/" + enc("warehouse:never"), "viewer", null);
        expect(404, "GET", "/api/v1/dags/nope/datasets/queuedEvent", "viewer", null);
        expect(403, "DELETE", "/api/v1/datasets/queuedEvent/" + stock, "viewer", null);
        SERVER.validate("DELETE", "/api/v1/dags/ds_waiting/datasets/queuedEvent/" + stock, SERVER.send("DELETE",
                "/api/v1/dags/ds_waiting/datasets/queuedEvent/" + stock, "user", null, Map.of()));
        expect(404, "DELETE", "/api/v1/datasets/queuedEvent/" + stock, "user", null);
        for (String path : List.of("/api/v1/datasets/queuedEvent/" + stock, "/api/v1/dags/ds_waiting/datasets/queuedEvent")) {
            expect(200, "POST", "/api/v1/datasets/events", "user", "{\"dataset_uri\": \"" + ApiTestDags.WAITED + "\"}");
            SERVER.validate("DELETE", path, SERVER.send("DELETE", path, "user", null, Map.of()));
        }
        assertThat(expect(200, "GET", "/api/v1/dags/ds_waiting/datasets/queuedEvent", "viewer", null)
                .get("total_entries").asInt()).isZero();
    }

    private static JsonNode awaitFirstRun(String dagId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode runs = expect(200, "GET", "/api/v1/dags/" + dagId + "/dagRuns", "viewer", null).get("dag_runs");
            if (runs.size() > 0 && runs.get(0).get("state").asText().equals("success")) {
                return runs.get(0);
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("no successful run of " + dagId + ": " + runs);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void variablesAreForOpAndAdminAndSensitiveValuesNeverComeBack() {
        expect(403, "GET", "/api/v1/variables", "user", null);
        expect(403, "GET", "/api/v1/variables/x", "viewer", null);
        expect(403, "POST", "/api/v1/variables", "user", "{\"key\": \"x\", \"value\": \"1\"}");
        JsonNode created = expect(200, "POST", "/api/v1/variables", "op",
                "{\"key\": \"api_var\", \"value\": \"blue\", \"description\": \"a colour\"}");
        assertThat(created.get("value").asText()).isEqualTo("blue");
        JsonNode secret = expect(200, "POST", "/api/v1/variables", "admin",
                "{\"key\": \"api_password\", \"value\": \"pa55-word-xyz\"}");
        assertThat(secret.get("value").asText()).isEqualTo("***");
        assertThat(expect(200, "GET", "/api/v1/variables/api_password", "op", null).get("value").asText())
                .isEqualTo("***");
        assertThat(expect(400, "POST", "/api/v1/variables", "op", "{\"key\": \"x\"}").get("detail").asText())
                .contains("'value'");
        expect(400, "POST", "/api/v1/variables", "op", "{\"key\": \"x\", \"value\": \"1\", \"val\": 2}");
        expect(400, "POST", "/api/v1/variables", "op", "{\"key\": \"new_token\", \"value\": \"***\"}");

        JsonNode list = expect(200, "GET", "/api/v1/variables?order_by=key", "op", null);
        assertThat(list.get("variables").findValuesAsText("key")).containsSubsequence("api_password", "api_var");
        assertThat(list.get("variables").findValues("value")).isEmpty();
        assertThat(list.get("total_entries").asInt()).isEqualTo(list.get("variables").size());
        expect(200, "GET", "/api/v1/variables?order_by=-id&limit=1&offset=1", "op", null);
        expect(400, "GET", "/api/v1/variables?order_by=value", "op", null);

        JsonNode patched = expect(200, "PATCH", "/api/v1/variables/api_var?update_mask=description", "op",
                "{\"key\": \"api_var\", \"value\": \"ignored\", \"description\": \"still blue\"}");
        assertThat(patched.get("value").asText()).isEqualTo("blue");
        assertThat(patched.get("description").asText()).isEqualTo("still blue");
        expect(400, "PATCH", "/api/v1/variables/api_var?update_mask=key", "op",
                "{\"key\": \"api_var\", \"value\": \"x\"}");
        expect(400, "PATCH", "/api/v1/variables/api_var", "op", "{\"key\": \"other\", \"value\": \"x\"}");
        expect(404, "PATCH", "/api/v1/variables/nope", "op", "{\"key\": \"nope\", \"value\": \"x\"}");
        // The mask sent back for a sensitive key keeps the secret (a read-edit-write round trip).
        expect(200, "PATCH", "/api/v1/variables/api_password", "op",
                "{\"key\": \"api_password\", \"value\": \"***\", \"description\": \"kept\"}");
        String stored = SERVER.db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT encrypted_value FROM variable WHERE key = 'api_password'").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain("pa55-word-xyz");

        // A value written with another key: the answer says what to fix.
        String foreign = new dev.weft.engine.secrets.SecretCipher(new byte[32]).encrypt("x");
        SERVER.db.database().jdbi().useHandle(h -> h.execute("INSERT INTO variable VALUES ('api_foreign', ?, NULL,"
                + " now(), now())", foreign));
        assertThat(expect(500, "GET", "/api/v1/variables/api_foreign", "op", null).get("detail").asText())
                .contains("variable 'api_foreign'").contains("same secretKey");
        expect(204, "DELETE", "/api/v1/variables/api_foreign", "op", null);
        assertThat(expect(400, "POST", "/api/v1/variables", "op", "{\"key\": \" \", \"value\": \"1\"}")
                .get("detail").asText()).contains("needs a key");
        SERVER.validate("DELETE", "/api/v1/variables/api_var", SERVER.send("DELETE", "/api/v1/variables/api_var",
                "op", null, Map.of()));
        expect(404, "GET", "/api/v1/variables/api_var", "op", null);
        expect(404, "DELETE", "/api/v1/variables/api_var", "op", null);
    }

    @Test
    void aTaskRendersVariablesAndItsLogMasksTheSensitiveOnes() throws Exception {
        expect(200, "POST", "/api/v1/variables", "op", "{\"key\": \"region\", \"value\": \"eu-west-1\"}");
        expect(200, "POST", "/api/v1/variables", "op",
                "{\"key\": \"deploy_token\", \"value\": \"tok-9f8e7d6c\"}");
        String runId = expect(200, "POST", "/api/v1/dags/var_region/dagRuns", "user", "{}").get("dag_run_id")
                .asText();
        assertThat(awaitRun("var_region", runId, s -> s.equals("success") || s.equals("failed"))
                .get("state").asText()).isEqualTo("success");
        String log = expect(200, "GET", "/api/v1/dags/var_region/dagRuns/" + enc(runId)
                + "/taskInstances/second/logs/1?full_content=true", "viewer", null).get("content").asText();
        assertThat(log).contains("region is eu-west-1").contains("token is ***").doesNotContain("tok-9f8e7d6c");
        // The web UI's task panel renders the params again: with the same masking.
        ApiServer.Reply panel = SERVER.send("GET", "/dags/var_region/grid?run_id=" + enc(runId) + "&task_id=second",
                "viewer", null, Map.of());
        assertThat(panel.status()).isEqualTo(200);
        assertThat(panel.body()).contains("token is ***").contains("region is eu-west-1")
                .doesNotContain("tok-9f8e7d6c");
    }

    @Test
    void aBranchRunsOnlyTheChosenPathAndTheJoinAfterIt() throws Exception {
        String runId = expect(200, "POST", "/api/v1/dags/branch_erp/dagRuns", "user",
                "{\"conf\": {\"system\": \"old\"}}").get("dag_run_id").asText();
        assertThat(awaitRun("branch_erp", runId, s -> s.equals("success") || s.equals("failed"))
                .get("state").asText()).isEqualTo("success");
        Map<String, String> states = new java.util.TreeMap<>();
        expect(200, "GET", "/api/v1/dags/branch_erp/dagRuns/" + enc(runId) + "/taskInstances", "viewer", null)
                .get("task_instances").forEach(ti -> states.put(ti.get("task_id").asText(), ti.get("state").asText()));
        assertThat(states).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "pick_erp_system", "success", "fetch_sales_old", "success", "fetch_sales_new", "skipped",
                "join_erp_branch", "success", "all_success_join", "skipped")));
        String log = expect(200, "GET", "/api/v1/dags/branch_erp/dagRuns/" + enc(runId)
                + "/taskInstances/pick_erp_system/logs/1?full_content=true", "viewer", null).get("content").asText();
        assertThat(log).contains("Following branch [fetch_sales_old]").contains("Skipping tasks [fetch_sales_new]");
        // The grid shows the skipped path in the skipped colour, the chosen one in success's.
        ApiServer.Reply grid = SERVER.send("GET", "/dags/branch_erp/grid?run_id=" + enc(runId), "viewer", null,
                Map.of());
        assertThat(grid.status()).isEqualTo(200);
        assertThat(gridRow(grid.body(), "fetch_sales_new")).contains("st-skipped").doesNotContain("st-success");
        assertThat(gridRow(grid.body(), "fetch_sales_old")).contains("st-success").doesNotContain("st-skipped");
    }

    private static String gridRow(String page, String taskId) {
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr data-task-id=\"" + taskId + "\".*?</tr>",
                java.util.regex.Pattern.DOTALL).matcher(page);
        assertThat(row.find()).as("grid row of " + taskId).isTrue();
        return row.group();
    }

    @Test
    void aTaskRendersTheXComOfTheFirstAndAVariableAndTheApiListsAndReadsXComs() throws Exception {
        expect(200, "POST", "/api/v1/variables", "op", "{\"key\": \"region\", \"value\": \"eu-west-1\"}");
        String runId = expect(200, "POST", "/api/v1/dags/xcom_region/dagRuns", "user", "{}").get("dag_run_id")
                .asText();
        assertThat(awaitRun("xcom_region", runId, s -> s.equals("success") || s.equals("failed"))
                .get("state").asText()).isEqualTo("success");
        String tis = "/api/v1/dags/xcom_region/dagRuns/" + enc(runId) + "/taskInstances/";
        String log = expect(200, "GET", tis + "second/logs/1?full_content=true", "viewer", null).get("content")
                .asText();
        assertThat(log).contains("pulled rows-42 in eu-west-1");

        JsonNode list = expect(200, "GET", tis + "first/xcomEntries", "viewer", null);
        assertThat(list.get("total_entries").asInt()).isEqualTo(1);
        JsonNode item = list.get("xcom_entries").get(0);
        assertThat(item.get("key").asText()).isEqualTo("return_value");
        assertThat(item.get("task_id").asText()).isEqualTo("first");
        assertThat(item.get("map_index").asInt()).isEqualTo(-1);
        assertThat(item.has("value")).isFalse();
        assertThat(expect(200, "GET", "/api/v1/dags/~/dagRuns/~/taskInstances/~/xcomEntries?xcom_key=return_value"
                + "&limit=100", "viewer", null).get("xcom_entries").findValuesAsText("dag_id")).contains("xcom_region");
        assertThat(expect(200, "GET", tis + "first/xcomEntries?map_index=0", "viewer", null).get("total_entries")
                .asInt()).isZero();
        expect(400, "GET", tis + "first/xcomEntries?limit=x", "viewer", null);

        JsonNode entry = expect(200, "GET", tis + "first/xcomEntries/return_value", "viewer", null);
        assertThat(entry.get("value").asText()).isEqualTo("rows-42");
        assertThat(entry.get("execution_date").asText()).isNotEmpty();
        assertThat(expect(200, "GET", tis + "first/xcomEntries/return_value?stringify=false&deserialize=true",
                "viewer", null).get("value").asText()).isEqualTo("rows-42");
        expect(400, "GET", tis + "first/xcomEntries/return_value?stringify=maybe", "viewer", null);
        assertThat(expect(404, "GET", tis + "first/xcomEntries/row_count", "viewer", null).get("detail")
                .asText()).contains("row_count").contains("first");
        expect(404, "GET", tis + "first/xcomEntries/return_value?map_index=3", "viewer", null);
        assertThat(SERVER.send("GET", tis + "first/xcomEntries", null, null, Map.of()).status()).isEqualTo(401);

        // The web UI's task panel shows the try's XComs.
        ApiServer.Reply panel = SERVER.send("GET", "/dags/xcom_region/grid?run_id=" + enc(runId) + "&task_id=first",
                "viewer", null, Map.of());
        assertThat(panel.status()).isEqualTo(200);
        assertThat(panel.body()).contains("id=\"xcoms-1\"").contains("return_value").contains("rows-42");
    }

    @Test
    void aSecretInAnXComIsPassedOnAsItIsButShownMasked() throws Exception {
        String secret = "xt-7c1d2e3f4a5b";
        expect(200, "POST", "/api/v1/variables", "op", "{\"key\": \"xcom_api_token\", \"value\": \"" + secret
                + "\"}");
        String runId = expect(200, "POST", "/api/v1/dags/xcom_secret/dagRuns", "user", "{}").get("dag_run_id")
                .asText();
        assertThat(awaitRun("xcom_secret", runId, s -> s.equals("success") || s.equals("failed"))
                .get("state").asText()).isEqualTo("success");
        String tis = "/api/v1/dags/xcom_secret/dagRuns/" + enc(runId) + "/taskInstances/";

        // The API (and the CLI, which reads it) shows the return value masked, stringified or not.
        JsonNode fetched = expect(200, "GET", tis + "fetch_token/xcomEntries/return_value", "viewer", null);
        assertThat(fetched.get("value").asText()).isEqualTo("***");
        assertThat(expect(200, "GET", tis + "fetch_token/xcomEntries/return_value?stringify=false", "viewer", null)
                .get("value").asText()).isEqualTo("***");

        // The task that pulled it got the real value (a part of it is printed), and masks it in its log, in its own
        // return value and in its rendered params.
        String log = expect(200, "GET", tis + "use_token/logs/1?full_content=true", "viewer", null).get("content")
                .asText();
        assertThat(log).contains("using ***").contains("its tail is " + secret.substring(3)).doesNotContain(secret);
        assertThat(expect(200, "GET", tis + "use_token/xcomEntries/return_value", "viewer", null).get("value")
                .asText()).isEqualTo("passed on ***");
        for (String task : List.of("fetch_token", "use_token")) {
            ApiServer.Reply panel = SERVER.send("GET", "/dags/xcom_secret/grid?run_id=" + enc(runId) + "&task_id="
                    + task, "viewer", null, Map.of());
            assertThat(panel.status()).isEqualTo(200);
            assertThat(panel.body()).contains("id=\"xcoms-1\"").doesNotContain(secret);
        }
    }

    @Test
    void connectionsAreForOpAndAdminAndThePasswordNeverComesBack() {
        expect(403, "GET", "/api/v1/connections", "user", null);
        expect(403, "GET", "/api/v1/connections/x", "viewer", null);
        expect(403, "POST", "/api/v1/connections/test", "user", "{\"connection_id\": \"x\", \"conn_type\": \"fs\"}");
        JsonNode created = expect(200, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"api_db\","
                + " \"conn_type\": \"postgres\", \"host\": \"db.example.com\", \"login\": \"etl\", \"port\": 5432,"
                + " \"schema\": \"sales\", \"password\": \"pg-pa55word\", \"description\": \"the warehouse\","
                + " \"extra\": \"{\\\"sslmode\\\": \\\"require\\\", \\\"api_key\\\": \\\"k-123456\\\"}\"}");
        assertThat(created.has("password")).isFalse();
        assertThat(created.get("host").asText()).isEqualTo("db.example.com");
        assertThat(SERVER.parse(created.get("extra").asText()).get("api_key").asText()).isEqualTo("***");
        assertThat(created.toString()).doesNotContain("pg-pa55word").doesNotContain("k-123456");
        assertThat(expect(409, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"api_db\","
                + " \"conn_type\": \"http\"}").get("detail").asText()).contains("already exist");
        assertThat(expect(400, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"bad id!\","
                + " \"conn_type\": \"http\"}").get("detail").asText()).contains("alphanumeric");
        assertThat(expect(400, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"x\"}")
                .get("detail").asText()).contains("conn_type");
        assertThat(expect(400, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"x\","
                + " \"conn_type\": \"http\", \"extra\": \"{not json\"}").get("detail").asText()).contains("JSON");

        JsonNode list = expect(200, "GET", "/api/v1/connections?order_by=connection_id", "op", null);
        assertThat(list.get("connections").findValuesAsText("connection_id")).contains("api_db");
        assertThat(list.get("connections").findValues("extra")).isEmpty();
        assertThat(list.toString()).doesNotContain("pg-pa55word");
        expect(200, "GET", "/api/v1/connections?order_by=-port&limit=1&offset=0", "op", null);
        expect(400, "GET", "/api/v1/connections?order_by=password", "op", null);

        // A body without the password, and the shown extra sent back, keep the stored secrets.
        JsonNode patched = expect(200, "PATCH", "/api/v1/connections/api_db", "op", "{\"host\": \"db2.example.com\","
                + " \"extra\": " + SERVER.parse(created.toString()).get("extra").toString() + "}");
        assertThat(patched.get("host").asText()).isEqualTo("db2.example.com");
        assertThat(patched.get("login").asText()).isEqualTo("etl");
        expect(200, "PATCH", "/api/v1/connections/api_db?update_mask=description", "op",
                "{\"description\": \"still the warehouse\", \"host\": \"ignored\"}");
        expect(400, "PATCH", "/api/v1/connections/api_db", "op", "{\"connection_id\": \"other\"}");
        expect(400, "PATCH", "/api/v1/connections/api_db?update_mask=connection_id", "op", "{}");
        expect(404, "PATCH", "/api/v1/connections/nope", "op", "{\"host\": \"x\"}");
        JsonNode read = expect(200, "GET", "/api/v1/connections/api_db", "op", null);
        assertThat(read.get("host").asText()).isEqualTo("db2.example.com");
        assertThat(read.get("description").asText()).isEqualTo("still the warehouse");
        assertThat(read.has("password")).isFalse();
        var row = SERVER.db.database().jdbi().withHandle(h -> h.createQuery("SELECT encrypted_password || ' '"
                + " || encrypted_extra FROM connection WHERE conn_id = 'api_db'").mapTo(String.class).one());
        assertThat(row).startsWith("v1:").contains(" v1:").doesNotContain("pg-pa55word").doesNotContain("k-123456")
                .doesNotContain("sslmode");

        // test: fs by its path, http by a request, others refused; the stored password is used when none is sent
        JsonNode fs = expect(200, "POST", "/api/v1/connections/test", "op", "{\"connection_id\": \"t\","
                + " \"conn_type\": \"fs\", \"extra\": \"{\\\"path\\\": \\\"/\\\"}\"}");
        assertThat(fs.get("status").asBoolean()).isTrue();
        JsonNode missing = expect(200, "POST", "/api/v1/connections/test", "op", "{\"connection_id\": \"t\","
                + " \"conn_type\": \"fs\", \"extra\": \"{\\\"path\\\": \\\"/no/such/dir\\\"}\"}");
        assertThat(missing.get("status").asBoolean()).isFalse();
        assertThat(missing.get("message").asText()).contains("/no/such/dir");
        JsonNode http = expect(200, "POST", "/api/v1/connections/test", "op", "{\"conn_type\": \"http\","
                + " \"host\": \"http://localhost:" + SERVER.app.getLocalPort() + "/api/v1/health\"}");
        assertThat(http.get("status").asBoolean()).as(http.toString()).isTrue();
        assertThat(expect(400, "POST", "/api/v1/connections/test", "op", "{\"connection_id\": \"api_db\","
                + " \"conn_type\": \"postgres\"}").get("detail").asText()).contains("cannot be tested");

        SERVER.validate("DELETE", "/api/v1/connections/api_db", SERVER.send("DELETE", "/api/v1/connections/api_db",
                "op", null, Map.of()));
        expect(404, "GET", "/api/v1/connections/api_db", "op", null);
        expect(404, "DELETE", "/api/v1/connections/api_db", "op", null);
    }

    @Test
    void aTasksConnectionPasswordIsMaskedInItsLogAndNeverStoredInClear() throws Exception {
        String password = "Wh-s3cret!pw";
        String token = "tok-77aa88bb";
        expect(200, "POST", "/api/v1/connections", "op", "{\"connection_id\": \"warehouse\", \"conn_type\":"
                + " \"http\", \"host\": \"wh.example.com\", \"login\": \"loader\", \"password\": \"" + password
                + "\", \"extra\": \"{\\\"api_token\\\": \\\"" + token + "\\\"}\"}");
        String runId = expect(200, "POST", "/api/v1/dags/conn_secret/dagRuns", "user", "{}").get("dag_run_id")
                .asText();
        assertThat(awaitRun("conn_secret", runId, s -> s.equals("success") || s.equals("failed"))
                .get("state").asText()).isEqualTo("success");
        String base = "/api/v1/dags/conn_secret/dagRuns/" + enc(runId) + "/taskInstances/";
        String templated = expect(200, "GET", base + "templated/logs/1?full_content=true", "viewer", null)
                .get("content").asText();
        assertThat(templated).contains("host is wh.example.com").contains("password is ***")
                .contains("uri password is ***");
        String fromContext = expect(200, "GET", base + "from_context/logs/1?full_content=true", "viewer", null)
                .get("content").asText();
        assertThat(fromContext).contains("login loader with password *** at http://wh.example.com")
                .contains("extra token ***");
        JsonNode instance = expect(200, "GET", base + "from_context", "viewer", null);
        for (String text : List.of(templated, fromContext, instance.toString(),
                expect(200, "GET", "/api/v1/connections/warehouse", "op", null).toString(),
                expect(200, "GET", "/api/v1/connections", "admin", null).toString(),
                SERVER.db.database().jdbi().withHandle(h -> h.createQuery("SELECT row_to_json(c)::text FROM"
                        + " connection c").mapTo(String.class).list()).toString())) {
            assertThat(text).doesNotContain(password).doesNotContain(token);
        }
        // the web UI's task panel renders the params again, with the same masking
        ApiServer.Reply panel = SERVER.send("GET", "/dags/conn_secret/grid?run_id=" + enc(runId)
                + "&task_id=templated", "viewer", null, Map.of());
        assertThat(panel.status()).isEqualTo(200);
        assertThat(panel.body()).doesNotContain(password).doesNotContain(token);
    }

    @Test
    void poolsAreForOpAndAdmin() {
        expect(403, "GET", "/api/v1/pools", "user", null);
        JsonNode pools = expect(200, "GET", "/api/v1/pools", "op", null);
        assertThat(pools.get("pools").findValuesAsText("name")).contains("default_pool");
        JsonNode created = expect(200, "POST", "/api/v1/pools", "op",
                "{\"name\": \"api_pool\", \"slots\": 3, \"description\": \"for tests\"}");
        assertThat(created.get("open_slots").asInt()).isEqualTo(3);
        expect(409, "POST", "/api/v1/pools", "op", "{\"name\": \"api_pool\", \"slots\": 1}");
        assertThat(expect(400, "POST", "/api/v1/pools", "op", "{\"name\": \"x\"}").get("detail").asText())
                .isEqualTo("Missing required property(ies): ['slots']");
        expect(400, "POST", "/api/v1/pools", "op", "{\"name\": \"x\", \"slots\": 1, \"occupied_slots\": 2}");
        assertThat(expect(200, "PATCH", "/api/v1/pools/api_pool?update_mask=slots", "op", "{\"slots\": 5}")
                .get("slots").asInt()).isEqualTo(5);
        expect(400, "PATCH", "/api/v1/pools/api_pool?update_mask=colour", "op", "{\"slots\": 5}");
        expect(400, "PATCH", "/api/v1/pools/default_pool", "op", "{\"name\": \"other\", \"slots\": 5}");
        expect(200, "GET", "/api/v1/pools/api_pool", "admin", null);
        expect(200, "GET", "/api/v1/pools?order_by=-slots&limit=1", "op", null);
        expect(400, "DELETE", "/api/v1/pools/default_pool", "op", null);
        SERVER.validate("DELETE", "/api/v1/pools/api_pool", SERVER.send("DELETE", "/api/v1/pools/api_pool", "op",
                null, Map.of()));
        expect(404, "GET", "/api/v1/pools/api_pool", "op", null);
        expect(404, "DELETE", "/api/v1/pools/api_pool", "op", null);
        expect(404, "PATCH", "/api/v1/pools/api_pool", "op", "{\"name\": \"api_pool\", \"slots\": 1}");
    }

    @Test
    void usersAndRolesAreForAdmins() {
        expect(403, "GET", "/api/v1/users", "op", null);
        expect(403, "GET", "/api/v1/roles", "op", null);
        JsonNode roles = expect(200, "GET", "/api/v1/roles", "admin", null);
        List<String> names = new ArrayList<>();
        roles.get("roles").forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).containsExactly("Admin", "Op", "User", "Viewer");
        JsonNode created = expect(200, "POST", "/api/v1/users", "admin", "{\"username\": \"newbie\", \"email\":"
                + " \"newbie@example.com\", \"first_name\": \"New\", \"last_name\": \"Bie\", \"password\": \"pw-1\","
                + " \"roles\": [{\"name\": \"Viewer\"}]}");
        assertThat(created.has("password")).isFalse();
        assertThat(created.get("roles").get(0).get("name").asText()).isEqualTo("Viewer");
        expect(409, "POST", "/api/v1/users", "admin", "{\"username\": \"newbie\", \"email\": \"n2@example.com\","
                + " \"password\": \"pw\", \"roles\": [{\"name\": \"Viewer\"}]}");
        expect(409, "POST", "/api/v1/users", "admin", "{\"username\": \"other\", \"email\": \"newbie@example.com\","
                + " \"password\": \"pw\", \"roles\": [{\"name\": \"Viewer\"}]}");
        expect(400, "POST", "/api/v1/users", "admin", "{\"username\": \"x\", \"email\": \"x@example.com\","
                + " \"password\": \"pw\", \"roles\": [{\"name\": \"Wizard\"}]}");
        expect(400, "POST", "/api/v1/users", "admin", "{\"username\": \"x\"}");
        expect(200, "GET", "/api/v1/version", "newbie:pw-1", null);
        expect(403, "POST", "/api/v1/dags/api_chain/dagRuns", "newbie:pw-1", "{}");
        JsonNode promoted = expect(200, "PATCH", "/api/v1/users/newbie?update_mask=roles,password", "admin",
                "{\"roles\": [{\"name\": \"User\"}], \"password\": \"pw-2\"}");
        assertThat(promoted.get("roles").get(0).get("name").asText()).isEqualTo("User");
        assertThat(SERVER.call("GET", "/api/v1/version", "newbie:pw-1", null).status()).isEqualTo(401);
        expect(200, "GET", "/api/v1/users/newbie", "admin", null);
        assertThat(expect(200, "GET", "/api/v1/users?order_by=-username&limit=2", "admin", null)
                .get("total_entries").asInt()).isGreaterThanOrEqualTo(5);
        SERVER.validate("DELETE", "/api/v1/users/newbie", SERVER.send("DELETE", "/api/v1/users/newbie", "admin",
                null, Map.of()));
        expect(404, "GET", "/api/v1/users/newbie", "admin", null);
        expect(404, "DELETE", "/api/v1/users/newbie", "admin", null);
    }

    @Test
    void repeatedFailuresLockAUserOutForAWhile() {
        expect(200, "POST", "/api/v1/users", "admin", "{\"username\": \"locky\", \"email\": \"locky@example.com\","
                + " \"password\": \"right\", \"roles\": [{\"name\": \"Viewer\"}]}");
        for (int i = 0; i < 5; i++) {
            assertThat(SERVER.call("GET", "/api/v1/version", "locky:wrong", null).status()).isEqualTo(401);
        }
        var locked = SERVER.call("GET", "/api/v1/version", "locky:right", null);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 30);
        assertThat(locked.contentType()).startsWith("application/problem+json");
        for (int i = 0; i < 6; i++) {
            SERVER.call("GET", "/api/v1/version", "nobody:wrong", null);
        }
        assertThat(SERVER.call("GET", "/api/v1/version", "nobody:wrong", null).status()).isEqualTo(429);
    }

    @Test
    void pluginsImportErrorsAndUnknownRoutes() {
        JsonNode plugins = expect(200, "GET", "/api/v1/plugins", "viewer", null);
        assertThat(plugins.get("plugins").findValuesAsText("name")).contains("standard");
        JsonNode errors = expect(200, "GET", "/api/v1/importErrors?order_by=-timestamp", "viewer", null);
        assertThat(errors.get("total_entries").asInt()).isEqualTo(errors.get("import_errors").size());
        var notFound = SERVER.send("GET", "/api/v1/nothing/here", "viewer", null, Map.of());
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.contentType()).startsWith("application/problem+json");
        var notAllowed = SERVER.send("DELETE", "/api/v1/dags", "admin", null, Map.of());
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(SERVER.parse(notAllowed.body()).get("title").asText()).isEqualTo("Method Not Allowed");
    }
}
