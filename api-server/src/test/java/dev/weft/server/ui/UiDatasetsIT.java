package dev.weft.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Datasets pages in a real browser: a producer's run updates a dataset whose URI holds markup, the consumer's run
 * it started is linked from the event, an Op posts an event with extra (and a bad one, and a repeated dedup_key) and
 * clears a consumer's queue, a User gets the forms too (as the REST API allows), and a Viewer gets no form and a
 * 403 for a forged post.
 */
// The first test counts the dataset's events and the consumer's runs: it runs before the others add theirs.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiDatasetsIT {
    private static final String URI = "s3://ui-test/orders/<script>window.weftInjected=3</script>";
    private static final String NEVER = "ui-test://never-updated";
    private static final String SLOW_LANE = "ui-test://slow-lane";
    private static final String HELD_SALES = "ui-test://held/sales";
    private static final String HELD_STOCK = "ui-test://held/stock";
    private static final String OP_PASSWORD = "op-pw-1";
    private static final String VIEWER_PASSWORD = "viewer-pw-1";
    private static final String USER_PASSWORD = "user-pw-1";

    @RegisterExtension
    static final WeftUi UI = new WeftUi(Map.of("ds_producer.yaml", """
            dag_id: ui_ds_producer
            tasks:
              - task_id: publish
                type: standard.empty
                outlets: ["%1$s"]
            """.formatted(URI), "ds_consumer.yaml", """
            dag_id: ui_ds_consumer
            schedule: ["%1$s"]
            tasks:
              - task_id: report
                type: standard.empty
            """.formatted(URI), "ds_waiting.yaml", """
            dag_id: ui_ds_waiting
            schedule: ["%1$s", "%2$s"]
            tasks:
              - task_id: report
                type: standard.empty
            """.formatted(URI, NEVER), "ds_slow.yaml", """
            dag_id: ui_ds_slow
            schedule: ["%1$s"]
            max_active_runs: 1
            tasks:
              - task_id: take_your_time
                type: standard.shell
                params: {command: "sleep 90"}
            """.formatted(SLOW_LANE), "ds_held.yaml", """
            dag_id: ui_ds_sales
            tasks:
              - task_id: load
                type: standard.shell
                params: {command: "exit {{ var.value.get('ui_ds_fail_sales', '0') }}"}
                outlets: ["%1$s"]
            ---
            dag_id: ui_ds_stock
            tasks:
              - task_id: load
                type: standard.shell
                params: {command: "exit {{ var.value.get('ui_ds_fail_stock', '0') }}"}
                outlets: ["%2$s"]
            ---
            dag_id: ui_ds_report
            schedule: ["%1$s", "%2$s"]
            tasks:
              - task_id: report
                type: standard.empty
            """.formatted(HELD_SALES, HELD_STOCK)));

    @BeforeAll
    static void users() {
        UI.server.createUser("otto", "Op", OP_PASSWORD);
        UI.server.createUser("vera", "Viewer", VIEWER_PASSWORD);
        UI.server.createUser("uma", "User", USER_PASSWORD);
    }

    @Test
    @Order(1)
    void anOperatorFollowsAnEventToTheRunItStartedAndPostsOne() {
        UI.server.admin(200, "POST", "/api/v1/dags/ui_ds_producer/dagRuns", "{}");
        awaitRuns("ui_ds_consumer", 1);
        Browser browser = UI.browser;
        logIn("otto", OP_PASSWORD);

        browser.driver.findElement(By.cssSelector("header nav a[href='/datasets']")).click();
        browser.await(10, "the datasets page", d -> d.getTitle().startsWith("Datasets"));
        browser.driver.findElement(By.id("f-uri")).sendKeys("ui-test/orders");
        browser.driver.findElement(By.cssSelector("#datasets-filter button[type=submit]")).click();
        WebElement row = browser.await(10, "the dataset's row", d -> d.findElements(By.cssSelector("tr.dataset-row"))
                .stream().filter(r -> URI.equals(r.getDomAttribute("data-uri"))).findFirst().orElse(null));
        browser.shot("datasets-list");
        assertThat(browser.driver.findElements(By.cssSelector("tr.dataset-row"))).hasSize(1);
        assertThat(row.findElement(By.cssSelector(".dataset-uri")).getText()).isEqualTo(URI);
        assertThat(row.findElement(By.cssSelector("a.producer")).getDomAttribute("href"))
                .isEqualTo("/dags/ui_ds_producer/grid");
        assertThat(row.findElements(By.cssSelector("a.consumer"))).extracting(e -> e.getDomAttribute("data-dag-id"))
                .containsExactlyInAnyOrder("ui_ds_consumer", "ui_ds_waiting");
        assertThat(row.findElement(By.cssSelector(".event-count")).getText()).isEqualTo("1");
        assertThat(row.findElement(By.cssSelector(".last-event")).getText()).matches("\\d{4}-\\d\\d-\\d\\d .*");
        assertNothingInjected();

        row.findElement(By.cssSelector("a.dataset-uri")).click();
        browser.await(10, "the dataset's page", d -> d.findElement(By.id("dataset-uri")).getText().equals(URI));
        browser.shot("dataset-detail");
        WebElement event = browser.driver.findElement(By.cssSelector("tr.dataset-event"));
        assertThat(event.findElement(By.cssSelector(".source a")).getDomAttribute("href"))
                .startsWith("/dags/ui_ds_producer/grid?run_id=manual__").endsWith("&task_id=publish");
        WebElement started = event.findElement(By.cssSelector("a.run-link[data-dag-id='ui_ds_consumer']"));
        assertThat(started.getDomAttribute("href")).startsWith("/dags/ui_ds_consumer/grid?run_id=dataset_triggered__");
        assertNothingInjected();

        // The consumer's run names the event it consumed, and leads back to the dataset.
        String source = event.findElement(By.cssSelector(".source a")).getText();
        assertThat(source).startsWith("ui_ds_producer / manual__").endsWith(" / publish");
        started.click();
        WebElement consumed = browser.await(10, "the run panel's consumed event", d -> d.findElement(
                By.cssSelector("#run-consumed-events a")));
        browser.shot("consumer-run-panel");
        assertThat(consumed.getText()).startsWith(URI + " · ").endsWith(" · " + source);
        assertNothingInjected();
        consumed.click();
        browser.await(10, "the dataset's page from the run", d -> d.findElement(By.id("dataset-uri")).getText()
                .equals(URI));

        // A bad extra: the form comes back with the text and says what is wrong.
        postEvent("{\"rows\": }");
        WebElement error = browser.await(10, "the extra's error", d -> d.findElement(By.id("event-error")));
        browser.shot("dataset-bad-extra");
        assertThat(error.getText()).startsWith("The extra is not valid JSON (line 1, column 10)");
        assertThat(browser.driver.findElement(By.id("extra")).getDomProperty("value")).isEqualTo("{\"rows\": }");

        String extra = "{\"note\": \"<script>window.weftInjected=4</script>\", \"dedup_key\": \"ui-upload-1\"}";
        postEvent(extra);
        browser.await(10, "the notice of the posted event", d -> d.findElement(By.id("dataset-notice")).getText()
                .startsWith("Event posted"));
        WebElement posted = browser.driver.findElement(By.cssSelector("tr.dataset-event"));
        assertThat(posted.findElement(By.cssSelector(".source")).getText()).contains("posted from outside");
        assertThat(posted.findElement(By.cssSelector(".dedup-key")).getText()).isEqualTo("ui-upload-1");
        assertThat(posted.findElement(By.cssSelector("pre.json")).getText())
                .contains("\"note\" : \"<script>window.weftInjected=4</script>\"");
        assertThat(browser.driver.findElements(By.cssSelector("tr.dataset-event"))).hasSize(2);
        assertNothingInjected();
        // The consumer's second run consumes it: the event links it once the scheduler made it.
        awaitRuns("ui_ds_consumer", 2);
        browser.driver.navigate().refresh();
        assertThat(browser.driver.findElement(By.cssSelector("tr.dataset-event"))
                .findElements(By.cssSelector("a.run-link[data-dag-id='ui_ds_consumer']"))).hasSize(1);
        browser.shot("dataset-posted-event-started-a-run");

        // The same dedup_key again records nothing.
        postEvent(extra);
        browser.await(10, "the notice of the repeated key", d -> d.findElement(By.id("dataset-notice")).getText()
                .startsWith("An event with this dedup_key exists already"));
        assertThat(browser.driver.findElements(By.cssSelector("tr.dataset-event"))).hasSize(2);

        // The consumer's grid says what it is scheduled on and links the dataset.
        browser.open("/dags/ui_ds_consumer/grid", "consumer-grid");
        WebElement link = browser.driver.findElement(By.cssSelector("#schedule-datasets a.schedule-dataset"));
        assertThat(link.getText()).isEqualTo(URI);
        assertThat(browser.driver.findElement(By.id("schedule-datasets")).getText()).startsWith("Scheduled on datasets");
        link.click();
        browser.await(10, "the dataset's page from the grid", d -> d.findElement(By.id("dataset-uri")).getText()
                .equals(URI));
        assertNothingInjected();
    }

    @Test
    void aConsumerWaitingForAnotherDatasetShowsItsQueueAndAnOperatorClearsIt() {
        UI.server.admin(200, "POST", "/api/v1/datasets/events", "{\"dataset_uri\": \"" + URI.replace("\"", "\\\"")
                + "\", \"extra\": {\"from\": \"queue test\"}}");
        Browser browser = UI.browser;
        logIn("otto", OP_PASSWORD);
        browser.open("/datasets/detail?uri=" + Browser.encode(URI), "dataset-queues");
        WebElement waiting = browser.driver.findElement(By.cssSelector(".consumer-queue[data-dag-id='ui_ds_waiting']"));
        assertThat(waiting.findElement(By.cssSelector(".queued-here")).getText()).matches("[1-9]\\d* event\\(s\\) of "
                + "this dataset queued since .*");
        assertThat(waiting.findElement(By.cssSelector(".waiting-for")).getText()).contains(NEVER);

        waiting.findElement(By.cssSelector("form.clear-queue button[type=submit]")).click();
        browser.await(10, "the notice of the cleared queue", d -> d.findElement(By.id("dataset-notice")).getText()
                .startsWith("Queued events cleared"));
        browser.shot("dataset-queue-cleared");
        WebElement cleared = browser.driver.findElement(By.cssSelector(".consumer-queue[data-dag-id='ui_ds_waiting']"));
        assertThat(cleared.findElement(By.cssSelector(".queued-here")).getText())
                .isEqualTo("No event of this dataset is queued.");
        assertThat(cleared.findElements(By.cssSelector("form.clear-queue"))).isEmpty();
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/ui_ds_waiting/datasets/queuedEvent", null)
                .get("total_entries").asInt()).isZero();
    }

    @Test
    void aConsumerAtItsMaxActiveRunsSaysItsNextRunWaits() {
        UI.server.admin(200, "POST", "/api/v1/datasets/events", "{\"dataset_uri\": \"" + SLOW_LANE + "\"}");
        awaitRuns("ui_ds_slow", 1);
        // Its only run takes 90 s: this event waits in the queue.
        UI.server.admin(200, "POST", "/api/v1/datasets/events", "{\"dataset_uri\": \"" + SLOW_LANE + "\"}");
        logIn("otto", OP_PASSWORD);
        UI.browser.open("/datasets/detail?uri=" + Browser.encode(SLOW_LANE), "dataset-consumer-at-max-active-runs");
        WebElement slow = UI.browser.driver.findElement(By.cssSelector(".consumer-queue[data-dag-id='ui_ds_slow']"));
        assertThat(slow.getDomAttribute("class")).contains("held");
        assertThat(slow.findElement(By.cssSelector(".queued-here")).getText()).startsWith("1 event(s) of this dataset");
        assertThat(slow.findElement(By.cssSelector(".consumer-status")).getText())
                .startsWith("Waits: max_active_runs (1) reached, 1 run(s) queued or running");
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/ui_ds_slow/dagRuns", null).get("total_entries").asInt())
                .isEqualTo(1);
    }

    @Test
    void anEventHeldForARunLeftWaitingByARecursiveClearIsNotOneANewRunHas() {
        UI.server.admin(200, "POST", "/api/v1/dags/ui_ds_sales/dagRuns", "{\"dag_run_id\": \"r1\"}");
        UI.server.admin(200, "POST", "/api/v1/dags/ui_ds_stock/dagRuns", "{\"dag_run_id\": \"r1\"}");
        awaitRuns("ui_ds_report", 1);
        // Both producers are cleared recursively: stock's load fails this time, sales' succeeds. The report run
        // waits for stock's load, and the new sales event is held for it.
        UI.server.admin(200, "POST", "/api/v1/variables", "{\"key\": \"ui_ds_fail_stock\", \"value\": \"1\"}");
        clearRecursively("ui_ds_stock");
        awaitTaskState("ui_ds_stock", "failed");
        clearRecursively("ui_ds_sales");
        awaitTaskState("ui_ds_sales", "success");
        UI.browser.await(60, "the sales event queued for the report", d -> UI.server.admin(200, "GET",
                "/api/v1/dags/ui_ds_report/datasets/queuedEvent", null).get("total_entries").asInt() == 1);

        logIn("otto", OP_PASSWORD);
        UI.browser.open("/datasets/detail?uri=" + Browser.encode(HELD_SALES), "dataset-event-held-for-waiting-run");
        WebElement report = UI.browser.driver.findElement(
                By.cssSelector(".consumer-queue[data-dag-id='ui_ds_report']"));
        assertThat(report.findElement(By.cssSelector(".queued-here")).getText())
                .matches("1 event\\(s\\) of this dataset queued since .*, held for a waiting run \\(below\\)\\.");
        assertThat(report.findElement(By.cssSelector(".waiting-run")).getText())
                .contains("waits for its producers to succeed again (ui_ds_stock / r1 / load)");
        assertThat(report.findElement(By.cssSelector(".consumer-status")).getText())
                .isEqualTo("A new run starts when each dataset below has an event that no waiting run holds.");
        assertThat(report.findElements(By.cssSelector(".waiting-for a"))).extracting(WebElement::getText)
                .containsExactly(HELD_SALES, HELD_STOCK);
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/ui_ds_report/dagRuns", null).get("total_entries")
                .asInt()).isEqualTo(1);
    }

    private static void clearRecursively(String dagId) {
        UI.server.admin(200, "POST", "/api/v1/dags/" + dagId + "/clearTaskInstances", "{\"dag_run_id\": \"r1\","
                + " \"task_ids\": [\"load\"], \"only_failed\": false, \"include_subdags\": true,"
                + " \"reset_dag_runs\": true, \"dry_run\": false}");
    }

    /** Waits for the second try of the producer's task to end in {@code state}. */
    private static void awaitTaskState(String dagId, String state) {
        UI.browser.await(60, dagId + ".load " + state, d -> {
            JsonNode ti = UI.server.admin(200, "GET", "/api/v1/dags/" + dagId + "/dagRuns/r1/taskInstances/load",
                    null);
            return ti.get("try_number").asInt() == 2 && state.equals(ti.get("state").asText());
        });
    }

    @Test
    void aViewerGetsNoFormAndAForgedPostIsRefusedWhereAUserGetsTheForms() {
        UI.server.admin(200, "POST", "/api/v1/datasets/events", "{\"dataset_uri\": \"" + URI.replace("\"", "\\\"")
                + "\"}");
        long events = eventCount();
        long queued = queuedForWaiting();
        assertThat(queued).isPositive();
        logIn("uma", USER_PASSWORD);
        UI.browser.open("/datasets/detail?uri=" + Browser.encode(URI), "dataset-detail-uma");
        assertThat(UI.browser.driver.findElements(By.id("extra"))).as("the event form offered to a User").hasSize(1);
        Browser browser = UI.browser;
        logIn("vera", VIEWER_PASSWORD);
        browser.open("/datasets/detail?uri=" + Browser.encode(URI), "dataset-detail-vera");
        assertThat(browser.driver.findElement(By.id("dataset-uri")).getText()).isEqualTo(URI);
        assertThat(browser.driver.findElements(By.cssSelector("form[method=post]:not(.whoami)")))
                .as("forms offered to a Viewer").isEmpty();
        assertThat(browser.driver.findElements(By.id("extra"))).isEmpty();

        String session = browser.session().getValue();
        String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]"))
                .getDomAttribute("content");
        String form = "_csrf=" + Browser.encode(csrf) + "&uri=" + Browser.encode(URI);
        assertThat(UI.server.postForm("/datasets/events", session, form + "&extra=%7B%7D").status())
                .as("a Viewer posting an event").isEqualTo(403);
        assertThat(UI.server.postForm("/datasets/queue/clear", session, form + "&dag_id=ui_ds_waiting").status())
                .as("a Viewer clearing a queue").isEqualTo(403);
        assertThat(eventCount()).isEqualTo(events);
        assertThat(queuedForWaiting()).isEqualTo(queued);
    }

    private static void logIn(String username, String password) {
        UI.browser.login(username, password);
        UI.browser.await(10, "the DAG list as " + username, d -> d.getTitle().startsWith("DAGs"));
    }

    private static void postEvent(String extra) {
        WebElement text = UI.browser.driver.findElement(By.id("extra"));
        text.clear();
        text.sendKeys(extra);
        UI.browser.driver.findElement(By.id("post-event-submit")).click();
    }

    private static void awaitRuns(String dagId, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode runs;
        do {
            runs = UI.server.admin(200, "GET", "/api/v1/dags/" + dagId + "/dagRuns", null);
            if (runs.get("total_entries").asInt() >= count) {
                return;
            }
            sleep();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(dagId + " has no " + count + " run(s) after 60 s: " + runs);
    }

    private static long eventCount() {
        long id = UI.server.admin(200, "GET", "/api/v1/datasets?uri_pattern=ui-test/orders", null).get("datasets")
                .get(0).get("id").asLong();
        return UI.server.admin(200, "GET", "/api/v1/datasets/events?dataset_id=" + id, null).get("total_entries")
                .asLong();
    }

    private static long queuedForWaiting() {
        return UI.server.admin(200, "GET", "/api/v1/dags/ui_ds_waiting/datasets/queuedEvent", null)
                .get("total_entries").asLong();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertNothingInjected() {
        Browser browser = UI.browser;
        assertThat(browser.driver.executeScript("return typeof window.weftInjected")).isEqualTo("undefined");
    }
}
