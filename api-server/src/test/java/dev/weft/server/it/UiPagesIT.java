package dev.weft.server.it;

import dev.weft.server.WeftConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph view, the dependencies page, browse and admin pages, served by the real server on its database: what they
 * show, who may see them, and that data is escaped. The browser tests drive the same pages through Chromium.
 */
class UiPagesIT {
    private static final ApiServer SERVER = new ApiServer(1024 * 1024);
    @RegisterExtension
    static final DropwizardAppExtension<WeftConfiguration> APP = SERVER.app;

    @BeforeAll
    static void chainedDags() throws Exception {
        Path dags = Path.of(APP.getConfiguration().getWeftHome(), "dags");
        Files.createDirectories(dags);
        Files.writeString(dags.resolve("ui_parent.yaml"), """
                dag_id: ui_parent
                description: "<script>alert(1)</script> parent"
                tasks:
                  - task_id: kick
                    type: standard.trigger_dag_run
                    params: {trigger_dag_id: api_chain}
                  - task_id: kick_dynamic
                    type: standard.trigger_dag_run
                    params: {trigger_dag_id: "{{ params.target }}"}
                    upstream: [kick]
                """);
        Files.writeString(dags.resolve("ui_waiter.yaml"), """
                dag_id: ui_waiter
                tasks:
                  - task_id: wait
                    type: standard.external_task_sensor
                    sensor: {mode: reschedule, poke_interval: PT1M, timeout: PT1H}
                    params: {external_dag_id: api_chain, external_task_id: c}
                  - task_id: report
                    type: standard.empty
                    upstream: [wait]
                """);
        StringBuilder outlets = new StringBuilder();
        for (int i = 1; i <= 55; i++) {
            outlets.append(String.format("\"ui-page://shelf/%02d\", ", i));
        }
        Files.writeString(dags.resolve("ui_many_datasets.yaml"), """
                dag_id: ui_many_datasets
                tasks:
                  - task_id: stock_every_shelf
                    type: standard.empty
                    outlets: [%s]
                """.formatted(outlets.substring(0, outlets.length() - 2)));
        for (int i = 0; i < 150 && !(page("/dependencies", "viewer").contains("ui_waiter")
                && page("/datasets?uri=ui-page://", "viewer").contains("ui-page://shelf/55")); i++) {
            Thread.sleep(100);
        }
    }

    private static String page(String path, String user) {
        ApiServer.Reply reply = SERVER.send("GET", path, user, null, Map.of());
        assertThat(reply.status()).as(path).isEqualTo(200);
        return reply.body();
    }

    @Test
    void theDependenciesPageDrawsTriggersSolidAndSensorsDashedAndListsTemplatedOnes() {
        String page = page("/dependencies", "viewer");

        assertThat(page).contains("data-from=\"ui_parent\" data-to=\"api_chain\" data-kind=\"triggers\"",
                "data-from=\"api_chain\" data-to=\"ui_waiter\" data-kind=\"waits-for\"",
                "class=\"edge edge-waits-for\"", "<title id=\"graph-title\">",
                "id=\"dag-api_chain\"", "href=\"/dags/api_chain/grid\"",
                "data-dag-id=\"ui_parent\" data-task-id=\"kick_dynamic\"", "<code>{{ params.target }}</code>");
        assertThat(page).contains("id=\"dependency-unchained\"").contains("id=\"dag-api_fail\"");
    }

    @Test
    void theGraphViewLinksTasksToTheGridAndTheTriggeredDagToItsGraphEscapingTheDescription() {
        String page = page("/dags/ui_parent/graph", "viewer");

        // Mustache escapes '=' in the link to the task-instance panel; the browser reads it back as '='.
        assertThat(page).contains("id=\"node-kick\"", "href=\"/dags/ui_parent/grid?task_id&#61;kick\"",
                "id=\"other-triggers-api_chain\"", "href=\"/dags/api_chain/graph\"",
                "id=\"other-templated-kick_dynamic\"", "data-from=\"kick\" data-to=\"kick_dynamic\"",
                "&lt;script&gt;alert(1)&lt;/script&gt; parent", "no runs yet");
        assertThat(page).doesNotContain("<script>alert(1)</script>");
        assertThat(page("/dags/ui_waiter/graph", "viewer")).contains("id=\"other-waits-for-api_chain\"",
                "waits for api_chain (task c)");
        assertThat(SERVER.send("GET", "/dags/no_such_dag/graph", "viewer", null, Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void adminPagesDemandTheRolesOfTheirEndpoints() {
        assertThat(SERVER.send("GET", "/admin/pools", "user", null, Map.of()).status()).isEqualTo(403);
        assertThat(page("/admin/pools", "op")).contains("data-pool=\"default_pool\"", "id=\"admin-nav\"")
                .doesNotContain("href=\"/admin/users\"");
        assertThat(SERVER.send("GET", "/admin/users", "op", null, Map.of()).status()).isEqualTo(403);
        assertThat(page("/admin/users", "admin")).contains("data-username=\"viewer\"", "Viewer");
        assertThat(page("/admin/plugins", "viewer")).contains("data-plugin=\"standard\"", "standard.trigger_dag_run",
                "standard.email")
                .doesNotContain("href=\"/admin/pools\"").doesNotContain("href=\"/admin/variables\"");
        assertThat(page("/admin/import-errors", "viewer")).contains("id=\"problems\"");
        // Variables and connections: Op, as their REST endpoints (reading too).
        assertThat(page("/admin/variables", "op")).contains("id=\"variables\"", "href=\"/admin/connections\"");
        assertThat(page("/admin/connections", "op")).contains("id=\"connections\"", "href=\"/admin/variables\"");
        assertThat(SERVER.send("GET", "/admin/variables", "user", null, Map.of()).status()).isEqualTo(403);
        assertThat(SERVER.send("GET", "/admin/connections/new", "viewer", null, Map.of()).status()).isEqualTo(403);
    }

    @Test
    void datasetsPageByFiftyKeepingTheFilterAndAnUnknownOneIsA404ThatSaysWhy() {
        String first = page("/datasets?uri=ui-page://", "viewer");
        assertThat(first.split("class=\"dataset-row\"", -1)).hasSize(51);
        assertThat(first).contains("Datasets <small>(55)</small>", "ui-page://shelf/01", "ui-page://shelf/50",
                        "href=\"/datasets?page&#61;2&amp;uri&#61;ui-page%3A%2F%2F\"")
                .doesNotContain("ui-page://shelf/51");
        String second = page("/datasets?page=2&uri=ui-page%3A%2F%2F", "viewer");
        assertThat(second.split("class=\"dataset-row\"", -1)).hasSize(6);
        assertThat(second).contains("ui-page://shelf/55", "rel=\"prev\"");

        // (Mustache escapes '=' in links; the browser reads it back.) The API's datasets: producer and consumers linked, the detail page without forms for a Viewer.
        assertThat(page("/datasets?uri=" + ApiTestDags.DATASET, "viewer"))
                .contains("href=\"/datasets/detail?uri&#61;s3%3A%2F%2Fwarehouse%2Fsales\"",
                        "href=\"/dags/ds_producer/grid\"", "data-dag-id=\"ds_consumer\"");
        String detail = page("/datasets/detail?uri=" + ApiTestDags.DATASET, "viewer");
        assertThat(detail).contains("id=\"dataset-uri\">s3://warehouse/sales<", "data-dag-id=\"ds_consumer\"")
                .doesNotContain("id=\"post-event\"", "clear-queue");
        assertThat(page("/datasets/detail?uri=" + ApiTestDags.DATASET, "op")).contains("id=\"post-event\"");

        ApiServer.Reply missing = SERVER.send("GET", "/datasets/detail?uri=s3%3A%2F%2Fnowhere%2F%3Cb%3E", "viewer",
                null, Map.of());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("No dataset has the URI &#39;s3://nowhere/&lt;b&gt;&#39;");
    }

    @Test
    void browseFiltersAcrossDagsAndSaysWhatItCouldNotRead() {
        assertThat(page("/browse/task-instances?state=failed&date_field=end_date&last=24h", "viewer"))
                .contains("id=\"browse-task-instances\"", "<option value=\"failed\" selected>",
                        "id=\"quick-failed-24h\"");
        assertThat(page("/browse/runs?from=yesterday&date_field=nonsense", "viewer"))
                .contains("From: &#39;yesterday&#39; is not a date", "id=\"browse-runs\"");
    }
}
