package dev.weft.server.ui;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what in the browser: logging in and out, the session cookie's flags, a Viewer who is offered no action
 * and whose forged requests are refused anyway, requests without the CSRF token refused, and markup in a DAG's
 * description shown as text.
 */
class UiAccessIT {
    private static final String VIEWER_PASSWORD = "viewer-pw-1";
    private static final String SCRIPT_DESCRIPTION = "<script>window.weftInjected = 1; document.title = 'pwned'"
            + "</script><b>bold?</b> loads the shop";
    /** Buttons and links that change something: none of them may be offered to a Viewer. */
    private static final Pattern ACTION = Pattern.compile("(?i)\\b(trigger|clear|mark|delete|pause|unpause)\\b");

    @RegisterExtension
    static final WeftUi UI = new WeftUi(Map.of("script_description.yaml", """
            dag_id: ui_script_description
            description: "%s"
            tasks:
              - task_id: say_hello
                type: standard.shell
                params: {command: "echo '<script>window.weftInjected = 2</script> from a log line'"}
            """.formatted(SCRIPT_DESCRIPTION)));

    @BeforeAll
    static void viewer() {
        UI.server.createUser("vera", "Viewer", VIEWER_PASSWORD);
    }

    @Test
    void logInLandsOnTheDagListWithAnHttpOnlySameSiteLaxSession() {
        Browser browser = UI.browser;
        browser.driver.manage().deleteAllCookies();
        browser.open("/", "login-page");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login?next=%2F");

        UI.loginAsAdmin();
        browser.shot("dag-list");
        assertThat(browser.driver.findElement(By.cssSelector("header .whoami")).getText()).contains("admin");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-dag-id='listing_6_08']"))).hasSize(1);
        Cookie session = browser.session();
        assertThat(session).as("session cookie").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getPath()).isEqualTo("/");
        // Scripts of the page cannot read it.
        assertThat((String) browser.driver.executeScript("return document.cookie")).doesNotContain("weft_session");
    }

    @Test
    void aWrongPasswordIsRefusedWithAMessageAndNoSession() {
        Browser browser = UI.browser;
        browser.login("admin", "not-" + UI.server.adminPassword);
        WebElement error = browser.await(10, "the login error", d -> d.findElement(By.cssSelector(".login .error")));
        browser.shot("login-wrong-password");
        assertThat(error.getText()).isEqualTo("Wrong user name or password.");
        assertThat(error.getDomAttribute("role")).isEqualTo("alert");
        assertThat(browser.session()).isNull();
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login");
    }

    @Test
    void logOutEndsTheSessionOnTheServerToo() {
        Browser browser = UI.browser;
        UI.loginAsAdmin();
        String token = browser.session().getValue();

        browser.driver.findElement(By.cssSelector("form.whoami button[type=submit]")).click();
        browser.await(10, "the login page after logging out", d -> d.getCurrentUrl().endsWith("/login"));
        browser.shot("logged-out");
        assertThat(browser.session()).isNull();
        browser.open("/dags/listing_6_08/grid", "after-logout");
        assertThat(browser.driver.getCurrentUrl()).contains("/login?next=");
        // The old cookie, replayed, is no longer a session.
        UiServer.Reply replay = UI.server.send("GET", "/", null, null, Map.of("Cookie", "weft_session=" + token));
        assertThat(replay.status()).isEqualTo(303);
        assertThat(replay.response().headers().firstValue("Location").orElse("")).contains("/login");
    }

    @Test
    void aViewerIsOfferedNoActionAndTheirForgedRequestsAreRefused() {
        Browser browser = UI.browser;
        browser.login("vera", VIEWER_PASSWORD);
        browser.await(10, "the DAG list as a Viewer", d -> d.getTitle().startsWith("DAGs"));
        browser.shot("dag-list-viewer");
        String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getDomAttribute("content");
        assertThat(csrf).isNotBlank();
        assertThat(actions()).as("actions offered to a Viewer on the DAG list").isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("form[method=post]:not(.whoami)"))).isEmpty();

        browser.open("/dags/listing_6_04_dag01/grid", "grid-viewer");
        assertThat(browser.driver.findElements(By.cssSelector(".sq, [data-task-id]"))).as("grid squares")
                .isNotEmpty();
        assertThat(actions()).as("actions offered to a Viewer on the grid").isEmpty();
        String run = UI.server.admin(200, "GET", "/api/v1/dags/listing_6_04_dag01/dagRuns", null)
                .get("dag_runs").get(0).get("dag_run_id").asText();
        browser.open("/dags/listing_6_04_dag01/grid?run_id=" + Browser.encode(run)
                + "&task_id=wait_for_supermarket_1", "task-panel-viewer");
        assertThat(actions()).as("actions offered to a Viewer in the task panel").isEmpty();
        browser.open("/dags/listing_6_08/trigger", "trigger-form-viewer");
        assertThat(browser.driver.findElements(By.cssSelector("form[method=post] textarea, form[method=post] "
                + "button[type=submit]:not(.link)"))).as("a trigger form for a Viewer").isEmpty();

        // Forged: the Viewer's own session with its valid CSRF token still may not pause, trigger or clear.
        String session = browser.session().getValue();
        String token = "_csrf=" + Browser.encode(csrf);
        assertThat(UI.server.postForm("/dags/listing_6_08/pause", session, token + "&paused=true&back=/").status())
                .isEqualTo(403);
        assertThat(UI.server.postForm("/dags/listing_6_08/trigger", session, token + "&conf=%7B%7D").status())
                .isEqualTo(403);
        assertThat(UI.server.postForm("/dags/listing_6_04_dag01/clear", session, token + "&run_id="
                + Browser.encode(run) + "&task_id=wait_for_supermarket_1&downstream=true&confirmed=true").status())
                .isEqualTo(403);
        assertUntouched();
    }

    @Test
    void aStateChangingRequestWithoutTheCsrfTokenIsRefused() {
        Browser browser = UI.browser;
        UI.loginAsAdmin();
        String session = browser.session().getValue();
        String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getDomAttribute("content");

        // What another site's page could send with the admin's cookie: no token, or a wrong one.
        assertThat(UI.server.postForm("/dags/listing_6_08/pause", session, "paused=true&back=/").status())
                .isEqualTo(403);
        assertThat(UI.server.postForm("/dags/listing_6_08/pause", session, "_csrf=guess&paused=true&back=/")
                .status()).isEqualTo(403);
        assertThat(UI.server.postForm("/dags/listing_6_08/trigger", session, "conf=%7B%7D").status()).isEqualTo(403);
        assertUntouched();

        // The same request with the session's token goes through: it is the token that was missing.
        String token = "_csrf=" + Browser.encode(csrf);
        assertThat(UI.server.postForm("/dags/listing_6_08/pause", session, token + "&paused=true&back=/").status())
                .isEqualTo(303);
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08", null).get("is_paused").asBoolean())
                .isTrue();
        assertThat(UI.server.postForm("/dags/listing_6_08/pause", session, token + "&paused=false&back=/").status())
                .isEqualTo(303);
    }

    /** listing_6_08 is neither paused nor triggered: the refused requests changed nothing. */
    private static void assertUntouched() {
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08", null).get("is_paused").asBoolean())
                .isFalse();
        assertThat(UI.server.admin(200, "GET", "/api/v1/dags/listing_6_08/dagRuns", null).get("total_entries")
                .asInt()).isZero();
    }

    @Test
    void markupInADescriptionIsShownAsText() {
        Browser browser = UI.browser;
        UI.loginAsAdmin();
        browser.open("/?search=ui_script", "dag-list-script-description");
        WebElement row = browser.await(30, "the DAG of the dropped file", d -> d.findElement(By.cssSelector(
                "tr[data-dag-id='ui_script_description']")));
        assertThat(row.findElement(By.cssSelector(".description")).getText()).isEqualTo(SCRIPT_DESCRIPTION);
        assertThat(row.findElements(By.tagName("script"))).isEmpty();
        assertThat(row.findElements(By.tagName("b"))).isEmpty();
        assertNothingInjected();

        browser.open("/dags/ui_script_description/grid", "grid-script-description");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains(SCRIPT_DESCRIPTION);
        assertNothingInjected();

        // A log line with markup, in the task's panel.
        String run = UI.server.admin(200, "POST", "/api/v1/dags/ui_script_description/dagRuns", "{}")
                .get("dag_run_id").asText();
        browser.open("/dags/ui_script_description/grid?run_id=" + Browser.encode(run) + "&task_id=say_hello",
                "task-panel-script-log");
        WebElement log = browser.await(60, "the log of say_hello (live refresh)", d -> d.findElements(
                By.id("log-1")).stream().filter(l -> l.getText().contains("from a log line")).findFirst()
                .orElse(null));
        browser.shot("task-panel-script-log-shown");
        assertThat(log.getText()).contains("<script>window.weftInjected = 2</script> from a log line");
        assertThat(log.findElements(By.tagName("script"))).isEmpty();
        assertNothingInjected();
    }

    private static void assertNothingInjected() {
        Browser browser = UI.browser;
        assertThat(browser.driver.executeScript("return typeof window.weftInjected")).isEqualTo("undefined");
        assertThat(browser.driver.getTitle()).isNotEqualTo("pwned");
    }

    /** The visible buttons and links whose text names an action. */
    private static List<String> actions() {
        // The DAG list and the grid refresh themselves: what was replaced while being read is read again.
        for (int attempt = 1; ; attempt++) {
            try {
                return UI.browser.driver.findElements(By.cssSelector("main button, main a, main input[type=submit]"))
                        .stream().filter(WebElement::isDisplayed).map(WebElement::getText)
                        .filter(t -> ACTION.matcher(t).find()).toList();
            } catch (StaleElementReferenceException replaced) {
                if (attempt == 5) {
                    throw replaced;
                }
            }
        }
    }

}
