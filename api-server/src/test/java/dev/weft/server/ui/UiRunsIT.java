package dev.weft.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's afternoon with the chapter's DAGs in a real browser: the grid of a DAG with scheduled and manual runs,
 * the runs one DAG's trigger tasks made in another and the way back, triggering with a conf and reading it in the
 * log, a conf that is not JSON, clearing a task with its downstream and watching it run again without reloading, and
 * the chains across DAGs on the dependencies page.
 */
class UiRunsIT {
    private static final Pattern RGBA = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)");

    @RegisterExtension
    static final WeftUi UI = new WeftUi(Map.of("clear_me.yaml", """
            dag_id: ui_clear_me
            description: Two slow steps, to watch a clear run them again
            tags: [ui-test]
            chains:
              - [extract, load]
            tasks:
              - task_id: extract
                type: standard.shell
                params: {command: "sleep 2; echo extracted"}
              - task_id: load
                type: standard.shell
                params: {command: "sleep 2; echo loaded"}
            """));

    @BeforeAll
    static void logIn() {
        UI.loginAsAdmin();
    }

    @Test
    void theGridBordersScheduledRunsAndNotManualOnesAndTheHoverCardShowsTheRunId() {
        Browser browser = UI.browser;
        // The catch-up made scheduled runs at start; an operator adds a manual one.
        String manual = UI.server.admin(200, "POST", "/api/v1/dags/listing_6_04_dag01/dagRuns", "{\"conf\": {}}")
                .get("dag_run_id").asText();
        assertThat(manual).startsWith("manual__");
        browser.open("/dags/listing_6_04_dag01/grid", "grid-listing_6_04_dag01");

        List<WebElement> scheduled = browser.driver.findElements(By.cssSelector(".run-head[data-run-type=scheduled]"));
        // Three days of catch-up: two or three runs, depending on whether today's 16:00 has passed.
        assertThat(scheduled).as("scheduled columns").hasSizeGreaterThanOrEqualTo(2);
        for (WebElement run : scheduled) {
            assertThat(run.getDomAttribute("data-run-id")).startsWith("scheduled__");
            assertThat(hasVisibleBorder(run)).as("border of %s", run.getDomAttribute("data-run-id")).isTrue();
        }
        WebElement manualRun = browser.driver.findElement(By.cssSelector(".run-head[data-run-id='" + manual + "']"));
        assertThat(manualRun.getDomAttribute("data-run-type")).isEqualTo("manual");
        assertThat(hasVisibleBorder(manualRun)).as("border of the manual run").isFalse();
        // Newest on the right: the manual run, made last, with the latest logical date, is the last column.
        List<WebElement> heads = browser.driver.findElements(By.cssSelector(".run-head"));
        assertThat(heads.get(heads.size() - 1).getDomAttribute("data-run-id")).isEqualTo(manual);

        new Actions(browser.driver).moveToElement(manualRun).perform();
        WebElement card = browser.await(10, "the hover card of the manual run", d -> {
            WebElement c = d.findElement(By.id("hover-card"));
            return c.isDisplayed() && c.getText().contains(manual) ? c : null;
        });
        browser.shot("grid-hover-card");
        assertThat(card.getText()).contains("Run type: manual", "Logical date: ", "Data interval: ", "State: ",
                "Start: ", "Duration: ", "Conf: {}");
    }

    @Test
    void theRunsATriggerTaskMadeLinkBackToIt() {
        Browser browser = UI.browser;
        // Supermarket 1 has delivered, so each run of DAG 1 triggers DAG 2 for it.
        List<String> runs = awaitRuns("listing_6_04_dag02", 2);
        browser.open("/dags/listing_6_04_dag02/grid", "grid-listing_6_04_dag02");
        for (String runId : runs) {
            assertThat(runId).startsWith("supermarket_1__");
            WebElement head = browser.driver.findElement(By.cssSelector(".run-head[data-run-id='" + runId + "']"));
            assertThat(head.getDomAttribute("data-run-type")).isEqualTo("manual");
            // Each column links back (↰) to the trigger task of DAG 1's run that made it.
            WebElement back = head.findElement(By.xpath("ancestor::th//a[contains(@class, 'triggered-by')]"));
            assertThat(back.getDomAttribute("href")).contains("/dags/listing_6_04_dag01/grid?run_id="
                    + Browser.encode(runId.substring("supermarket_1__".length())))
                    .contains("task_id=trigger_create_metrics_dag_supermarket_1");
        }
        String runId = runs.get(0);
        String dag01Run = runId.substring("supermarket_1__".length());
        browser.driver.findElement(By.cssSelector(".run-head[data-run-id='" + runId + "']")).click();
        WebElement by = browser.await(10, "the run panel's triggered-by link", d -> d.findElement(
                By.id("run-triggered-by")));
        browser.shot("run-panel-triggered-by");
        assertThat(by.getText()).contains("listing_6_04_dag01", "trigger_create_metrics_dag_supermarket_1");
        for (String other : runs) {
            browser.open("/dags/listing_6_04_dag02/grid?run_id=" + Browser.encode(other), "run-panel-" + other);
            assertThat(browser.driver.findElement(By.id("run-triggered-by")).getText())
                    .as("triggered-by of %s", other).contains("trigger_create_metrics_dag_supermarket_1");
        }

        // The link leads to the trigger task of DAG 1's run, which lists the run it triggered.
        browser.open("/dags/listing_6_04_dag02/grid?run_id=" + Browser.encode(runId), "run-panel-again");
        browser.driver.findElement(By.id("run-triggered-by")).click();
        browser.await(10, "the trigger task's panel", d -> d.findElement(By.id("ti-task-id")).getText()
                .equals("trigger_create_metrics_dag_supermarket_1"));
        browser.shot("task-panel-trigger-task");
        assertThat(browser.driver.findElement(By.id("ti-run-link")).getText()).isEqualTo(dag01Run);
        assertThat(browser.driver.findElement(By.id("ti-triggered")).getText()).contains(runId);
    }

    @Test
    void aWaitingSensorsPanelShowsItsAnswerNextPokeAndPokesByTry() {
        Browser browser = UI.browser;
        // Supermarket 2 never delivers: its reschedule-mode sensor waits, counted on its task instance.
        String runId = awaitRuns("listing_6_04_dag01", 1).get(0);
        String task = "wait_for_supermarket_2";
        UI.browser.await(60, task + " to wait", d -> "up_for_reschedule".equals(UI.server.admin(200, "GET",
                "/api/v1/dags/listing_6_04_dag01/dagRuns/" + Browser.encode(runId) + "/taskInstances/" + task, null)
                .get("state").asText()));
        browser.open("/dags/listing_6_04_dag01/grid?run_id=" + Browser.encode(runId) + "&task_id=" + task,
                "task-panel-waiting-sensor");
        assertThat(browser.driver.findElement(By.id("sensor-last-answer")).getText()).startsWith("Not yet")
                .doesNotContain("next poke at");
        assertThat(browser.driver.findElement(By.id("sensor-next-poke")).getText()).isNotBlank();
        WebElement history = browser.driver.findElement(By.id("sensor-reschedules"));
        assertThat(history.getDomProperty("textContent")).contains("Reschedules, by try (1)", "\"Not yet\" pokes");
        List<WebElement> cells = history.findElements(By.cssSelector("tbody tr td"));
        assertThat(cells.get(0).getDomProperty("textContent")).isEqualTo("1");
        assertThat(Integer.parseInt(cells.get(1).getDomProperty("textContent"))).isPositive();
    }

    @Test
    void triggeringWithAConfFromTheFormShowsItInTheTasksLog() {
        Browser browser = UI.browser;
        browser.open("/dags/listing_6_08/trigger", "trigger-form");
        WebElement conf = browser.driver.findElement(By.cssSelector("textarea[name=conf]"));
        conf.clear();
        conf.sendKeys("{\"supermarket_id\": 3}");
        browser.shot("trigger-form-filled");
        submit(conf);
        browser.await(10, "the grid of the triggered run", d -> d.getCurrentUrl().contains("/dags/listing_6_08/grid"));
        JsonNode runs = UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08/dagRuns", null).get("dag_runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("conf").toString()).isEqualTo("{\"supermarket_id\":3}");
        assertThat(browser.driver.findElement(By.id("run-conf")).getText()).contains("\"supermarket_id\"", "3");

        // Select copy_to_raw in the new (right-most) column, and read its log once it ran.
        browser.driver.findElement(By.cssSelector("tr[data-task-id=copy_to_raw] td:last-child a.sq")).click();
        browser.await(10, "the task panel", d -> d.findElement(By.id("ti-task-id")).getText().equals("copy_to_raw"));
        WebElement log = browser.await(60, "copy_to_raw's log with the conf (live refresh, no reload)",
                d -> d.findElements(By.id("log-1")).stream().filter(l -> l.getText().contains("supermarket_id=3"))
                        .findFirst().orElse(null));
        browser.shot("task-panel-log");
        assertThat(log.getText()).contains("dag_run.conf: {supermarket_id=3}");
    }

    @Test
    void aConfThatIsNotJsonShowsAnInlineErrorAndCreatesNoRun() {
        Browser browser = UI.browser;
        int before = UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08/dagRuns", null).get("total_entries")
                .asInt();
        browser.open("/dags/listing_6_08/trigger", "trigger-form-before-error");
        WebElement conf = browser.driver.findElement(By.cssSelector("textarea[name=conf]"));
        conf.clear();
        conf.sendKeys("{\"supermarket_id\": 3,}");
        submit(conf);
        WebElement error = browser.await(10, "an inline error at the conf", d -> d.findElements(By.cssSelector(
                        "form [role=alert], form .error, form .field-error")).stream()
                .filter(WebElement::isDisplayed).filter(e -> e.getText().contains("JSON")).findFirst().orElse(null));
        browser.shot("trigger-form-inline-error");
        assertThat(error.getText()).contains("JSON");
        assertThat(browser.driver.getCurrentUrl()).contains("/dags/listing_6_08/trigger");
        assertThat(browser.driver.findElement(By.cssSelector("textarea[name=conf]")).getDomProperty("value"))
                .as("what the user typed is kept").isEqualTo("{\"supermarket_id\": 3,}");
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08/dagRuns", null).get("total_entries")
                .asInt()).isEqualTo(before);

        // Without the page's script (or around it), the server checks the conf again and creates nothing.
        String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getDomAttribute("content");
        UiServer.Reply posted = UI.server.postForm("/dags/listing_6_08/trigger", browser.session().getValue(),
                "_csrf=" + Browser.encode(csrf) + "&conf=" + Browser.encode("{\"supermarket_id\": 3,}"));
        assertThat(posted.status()).isEqualTo(400);
        assertThat(posted.body()).contains("id=\"conf-error\"", "not valid JSON");
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08/dagRuns", null).get("total_entries")
                .asInt()).isEqualTo(before);
    }

    @Test
    void clearingATaskWithItsDownstreamRunsThemAgainWhileTheGridRefreshesItself() {
        Browser browser = UI.browser;
        String runId = UI.server.admin(200, "POST", "/api/v1/dags/ui_clear_me/dagRuns", "{}").get("dag_run_id")
                .asText();
        awaitRunState("ui_clear_me", runId, "success");
        browser.open("/dags/ui_clear_me/grid?run_id=" + Browser.encode(runId) + "&task_id=extract",
                "task-panel-extract");
        assertThat(browser.driver.findElement(By.id("clear-downstream")).isSelected())
                .as("downstream is on by default").isTrue();
        browser.driver.findElement(By.id("ti-clear")).click();

        browser.await(10, "the clear confirmation", d -> d.findElement(By.id("clear-confirm")));
        browser.shot("clear-confirm");
        List<String> listed = browser.driver.findElements(By.cssSelector("#clear-list tbody tr")).stream()
                .map(r -> r.getDomAttribute("data-task-id")).toList();
        assertThat(listed).containsExactly("extract", "load");
        browser.driver.findElement(By.id("clear-confirm")).click();

        browser.await(10, "the grid after clearing", d -> d.getCurrentUrl().contains("/dags/ui_clear_me/grid"));
        browser.driver.executeScript("window.weftNotReloaded = true;");
        assertThat(state("load")).as("load right after the clear").doesNotContain("st-success");
        browser.shot("grid-after-clear");
        browser.await(60, "extract and load to succeed again on the page",
                d -> state("extract").contains("st-success") && state("load").contains("st-success"));
        assertThat(browser.driver.executeScript("return window.weftNotReloaded === true"))
                .as("the page was refreshed in place, not reloaded").isEqualTo(true);
        browser.shot("grid-after-rerun");
        for (String task : List.of("extract", "load")) {
            assertThat(UI.server.admin(200, "GET", "/api/v1/dags/ui_clear_me/dagRuns/" + Browser.encode(runId)
                    + "/taskInstances/" + task, null).get("try_number").asInt()).as(task).isEqualTo(2);
        }
    }

    @Test
    void theClearDialogPreviewsARecursiveClearAcrossDagsThenClearsThemAll() {
        Browser browser = UI.browser;
        UI.server.admin(200, "POST", "/api/v1/dags/figure_6_20_dag_1/dagRuns",
                "{\"dag_run_id\": \"ui_rc_16\", \"logical_date\": \"2025-06-03T16:00:00+00:00\"}");
        awaitRunState("figure_6_20_dag_1", "ui_rc_16", "success");
        UI.server.admin(200, "POST", "/api/v1/dags/figure_6_20_dag_2/dagRuns",
                "{\"dag_run_id\": \"ui_rc_18\", \"logical_date\": \"2025-06-03T18:00:00+00:00\"}");
        awaitRunState("figure_6_20_dag_2", "ui_rc_18", "success");
        browser.open("/dags/figure_6_20_dag_1/grid?run_id=ui_rc_16&task_id=process_supermarket",
                "task-panel-process_supermarket");
        assertThat(browser.driver.findElement(By.id("clear-recursive")).isSelected()).as("off by default").isFalse();
        browser.driver.findElement(By.id("clear-recursive")).click();
        browser.driver.findElement(By.id("ti-clear")).click();

        browser.await(10, "the clear confirmation", d -> d.findElement(By.id("clear-confirm")));
        browser.shot("clear-recursive-confirm");
        List<String> listed = browser.driver.findElements(By.cssSelector("#clear-list tbody tr")).stream()
                .map(r -> r.getDomAttribute("data-dag-id") + "." + r.getDomAttribute("data-task-id")).toList();
        assertThat(listed).containsExactly("figure_6_20_dag_1.process_supermarket",
                "figure_6_20_dag_2.wait_for_process_supermarket", "figure_6_20_dag_2.report");
        assertThat(browser.driver.findElement(By.id("clear-list")).getText())
                .contains("external_sensor from figure_6_20_dag_1.process_supermarket");
        assertThat(browser.driver.findElement(By.id("clear-recursive-note")).getText()).contains("10 hops");
        browser.driver.findElement(By.id("clear-confirm")).click();

        browser.await(10, "the grid after clearing", d -> d.getCurrentUrl().contains("/dags/figure_6_20_dag_1/grid"));
        browser.await(120, "the sensor's run to run again", d -> UI.server.admin(200, "GET",
                "/api/v1/dags/figure_6_20_dag_2/dagRuns/ui_rc_18/taskInstances/report", null).get("try_number")
                .asInt() == 2);
        awaitRunState("figure_6_20_dag_2", "ui_rc_18", "success");
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/figure_6_20_dag_1/dagRuns/ui_rc_16/taskInstances/"
                + "process_supermarket", null).get("try_number").asInt()).isEqualTo(2);
    }

    @Test
    void aConsumerRunLeftWaitingByARecursiveClearSaysWhatItWaitsFor() {
        // The server started with supermarket 1's upload: the bundled dataset example ran on it.
        String metrics = "dataset_create_metrics_yaml";
        UI.browser.await(120, "the metrics run the upload led to", d -> UI.server.admin(200, "GET",
                "/api/v1/dags/" + metrics + "/dagRuns", null).get("dag_runs").findValuesAsText("state")
                .contains("success"));
        String metricsRun = UI.server.admin(200, "GET", "/api/v1/dags/" + metrics + "/dagRuns", null)
                .get("dag_runs").get(0).get("dag_run_id").asText();
        String processRun = UI.server.admin(200, "GET", "/api/v1/dags/dataset_supermarket_1_yaml/dagRuns", null)
                .get("dag_runs").get(0).get("dag_run_id").asText();
        // reset_dag_runs false: the producer's run stays finished, so its cleared task does not run again.
        UI.server.admin(200, "POST", "/api/v1/dags/dataset_supermarket_1_yaml/clearTaskInstances", "{\"dag_run_id\": \""
                + processRun + "\", \"task_ids\": [\"process_supermarket_1\"], \"only_failed\": false,"
                + " \"include_subdags\": true, \"reset_dag_runs\": false, \"dry_run\": false}");

        UI.browser.open("/dags/" + metrics + "/grid?run_id=" + Browser.encode(metricsRun), "run-panel-waits-for");
        assertThat(UI.browser.driver.findElement(By.id("run-state")).getText()).isEqualTo("success");
        assertThat(UI.browser.driver.findElement(By.id("run-waits-for")).getText())
                .startsWith("New dataset events from the tasks whose events it consumed");
    }

    @Test
    void theDependenciesPageShowsTheChainsAcrossDags() {
        Browser browser = UI.browser;
        browser.open("/dependencies", "dependencies");
        for (String[] edge : List.of(new String[]{"listing_6_04_dag01", "listing_6_04_dag02"},
                new String[]{"figure_6_20_dag_1", "figure_6_20_dag_2"})) {
            List<WebElement> drawn = browser.driver.findElements(By.cssSelector(
                    "[data-from='" + edge[0] + "'][data-to='" + edge[1] + "']"));
            assertThat(drawn).as("edge %s → %s", edge[0], edge[1]).isNotEmpty();
        }
        browser.driver.findElement(By.cssSelector("a[href='/dags/listing_6_04_dag02/grid']")).click();
        browser.await(10, "the grid of the clicked DAG",
                d -> d.getCurrentUrl().endsWith("/dags/listing_6_04_dag02/grid"));
    }

    @Test
    void theDagListGraphBrowseAndAdminPagesRender() {
        Browser browser = UI.browser;
        browser.open("/", "dag-list");
        WebElement dag01 = browser.driver.findElement(By.cssSelector("tr[data-dag-id=listing_6_04_dag01]"));
        assertThat(dag01.findElements(By.cssSelector(".squares .sq.run-scheduled"))).as("its latest scheduled runs")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(dag01.getText()).contains("0 16 * * *");
        browser.open("/dags/listing_6_04_dag01/graph", "graph-listing_6_04_dag01");
        assertThat(browser.driver.findElements(By.cssSelector("svg [data-node]"))).as("task nodes")
                .hasSizeGreaterThanOrEqualTo(16);
        browser.open("/browse/runs?dag_id=listing_6_04_dag01", "browse-runs");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("scheduled__");
        browser.open("/browse/task-instances?state=success", "browse-task-instances");
        browser.open("/admin/pools", "pools");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("default_pool");
        browser.open("/admin/plugins", "plugins");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("standard");
        browser.open("/admin/import-errors", "import-errors");
        browser.open("/admin/users", "users");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("admin");
    }

    /** Clicks the submit button of the field's form, as a user would (scripts may check the form first). */
    private static void submit(WebElement field) {
        field.findElement(By.xpath("ancestor::form//button[@type='submit']")).click();
    }

    /** The css classes of a task's square in the right-most column. */
    private static String state(String taskId) {
        return UI.browser.driver.findElement(By.cssSelector("tr[data-task-id='" + taskId + "'] td:last-child a.sq"))
                .getDomAttribute("class");
    }

    /** Whether the square's border can be seen: drawn, wide, and not transparent. */
    private static boolean hasVisibleBorder(WebElement square) {
        if (square.getCssValue("border-top-style").equals("none")
                || square.getCssValue("border-top-width").equals("0px")) {
            return false;
        }
        Matcher m = RGBA.matcher(square.getCssValue("border-top-color"));
        assertThat(m.find()).as("a colour: %s", square.getCssValue("border-top-color")).isTrue();
        return m.group(4) == null || Double.parseDouble(m.group(4)) > 0;
    }

    /** The run ids of a DAG, oldest first, once it has at least {@code count}. */
    private static List<String> awaitRuns(String dagId, int count) {
        return UI.browser.await(60, dagId + " to have " + count + " runs", (WebDriver d) -> {
            List<JsonNode> runs = new ArrayList<>();
            UI.server.admin(200, "GET", "/api/v1/dags/" + dagId + "/dagRuns", null).get("dag_runs")
                    .forEach(runs::add);
            runs.sort(java.util.Comparator.comparing(r -> r.get("logical_date").asText()));
            return runs.size() >= count ? runs.stream().map(r -> r.get("dag_run_id").asText()).toList() : null;
        });
    }

    private static void awaitRunState(String dagId, String runId, String state) {
        UI.browser.await(60, dagId + " " + runId + " to be " + state, d -> state.equals(UI.server.admin(200, "GET",
                "/api/v1/dags/" + dagId + "/dagRuns/" + Browser.encode(runId), null).get("state").asText()));
    }
}
