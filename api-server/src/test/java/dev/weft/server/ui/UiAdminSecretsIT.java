package dev.weft.server.ui;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin → Variables and Connections in a real browser: an Admin adds a secret variable, imports a file of variables,
 * adds an http connection with a password and a secret header, edits it without typing the password again and tests
 * it against a real HTTP server that sees the kept password, gets clear errors that keep what was typed, and deletes;
 * no page ever holds a secret. A Viewer is offered neither page nor form, and their forged posts are refused.
 */
class UiAdminSecretsIT {
    private static final String VARIABLE_SECRET = "v4r-s3cret-value";
    private static final String PASSWORD = "c0nn-pa55word";
    private static final String HEADER_SECRET = "t0k3n-secret-value";
    private static final String VIEWER_PASSWORD = "viewer-pw-2";
    private static final String USER_PASSWORD = "user-pw-2";

    @RegisterExtension
    static final WeftUi UI = new WeftUi(Map.of("read_secret.yaml", """
            dag_id: ui_read_secret
            description: Prints the secret variable reversed (a transformed secret is not masked in logs)
            tasks:
              - task_id: reversed
                type: standard.shell
                params: {command: "echo '{{ var.value.warehouse_password }}' | rev"}
            """));

    /** The service the http connection points at: it records the headers of every request. */
    private static HttpServer service;
    private static final List<Map<String, List<String>>> REQUESTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            REQUESTS.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        UI.server.createUser("vicky", "Viewer", VIEWER_PASSWORD);
        UI.server.createUser("ursula", "User", USER_PASSWORD);
    }

    @AfterAll
    static void stop() {
        service.stop(0);
    }

    @Test
    void anAdminManagesVariablesWithoutTheSecretValueEverReachingThePage() throws IOException {
        Browser browser = UI.browser;
        UI.loginAsAdmin();
        browser.open("/admin/variables", "variables-empty");
        browser.driver.findElement(By.id("add-variable")).click();
        fill("key", "warehouse_password");
        fill("value", VARIABLE_SECRET);
        fill("description", "the <b>warehouse</b>'s");
        browser.driver.findElement(By.id("save")).click();
        WebElement row = browser.await(10, "the new variable in the list", d -> d.findElement(By.cssSelector(
                "tr.variable[data-key='warehouse_password']")));
        browser.shot("variable-added");
        assertThat(row.findElement(By.cssSelector("code.value")).getText()).isEqualTo("***");
        assertThat(row.getText()).contains("the <b>warehouse</b>'s");
        assertNoSecretIn("/admin/variables", VARIABLE_SECRET);

        // Edit: the value shows the mask; leaving it keeps the secret, which a task reads as it was.
        browser.open("/admin/variables/edit?key=warehouse_password", "variable-edit");
        assertThat(browser.driver.findElement(By.id("value")).getDomProperty("value")).isEqualTo("***");
        assertThat(browser.driver.findElement(By.id("key")).getDomAttribute("readonly")).isNotNull();
        assertNoSecretIn("/admin/variables/edit?key=warehouse_password", VARIABLE_SECRET);
        fill("description", "still the warehouse's");
        browser.driver.findElement(By.id("save")).click();
        browser.await(10, "the list after the edit", d -> d.getPageSource().contains("still the warehouse"));

        // A key that exists cannot be added again; the form keeps the key and says what to do.
        browser.open("/admin/variables/new", "variable-duplicate");
        fill("key", "warehouse_password");
        fill("value", "another-secret-1");
        browser.driver.findElement(By.id("save")).click();
        WebElement error = browser.await(10, "the duplicate key's error", d -> d.findElement(By.id("form-error")));
        browser.shot("variable-duplicate-error");
        assertThat(error.getText()).contains("A variable with the key 'warehouse_password' exists already",
                "type it again");
        assertThat(browser.driver.findElement(By.id("key")).getDomProperty("value")).isEqualTo("warehouse_password");
        assertThat(browser.driver.getPageSource()).doesNotContain("another-secret-1");

        // Import a file as `weft variables export` writes it: the mask is skipped, not stored over the secret.
        Path file = Files.createTempFile("variables", ".json");
        Files.writeString(file, "{\"region\": \"eu-west-1\", \"warehouse_password\": \"***\", \"limits\": [10, 20]}");
        browser.open("/admin/variables", "variables-import");
        browser.driver.findElement(By.id("import-file")).sendKeys(file.toString());
        browser.await(10, "the file's content in the text area", d -> d.findElement(By.id("import-json"))
                .getDomProperty("value").contains("eu-west-1"));
        browser.driver.findElement(By.id("import-submit")).click();
        WebElement notice = browser.await(10, "the import's outcome", d -> d.findElement(By.id("variables-notice")));
        browser.shot("variables-imported");
        assertThat(notice.getText()).startsWith("2 of 3 variables imported.").contains("warehouse_password");
        assertThat(UI.server.admin(200, "GET", "/api/v1/variables/limits", null).get("value").asText())
                .isEqualTo("[10,20]");
        // The secret survived the edit and the import: the API only ever answers ***, but a task reads it.
        assertThat(UI.server.admin(200, "GET", "/api/v1/variables/warehouse_password", null).get("value").asText())
                .isEqualTo("***");
        assertThat(reversedSecretInTheLog()).isEqualTo(new StringBuilder(VARIABLE_SECRET).reverse().toString());

        // Bad JSON is refused with where, and what was pasted stays.
        fill("import-json", "{\"region\": \"eu-west-1\",}");
        browser.driver.findElement(By.id("import-submit")).click();
        WebElement importError = browser.await(10, "the import error", d -> d.findElement(By.id("import-error")));
        assertThat(importError.getText()).startsWith("The file is not valid JSON (line 1, column");
        assertThat(browser.driver.findElement(By.id("import-json")).getDomProperty("value"))
                .isEqualTo("{\"region\": \"eu-west-1\",}");

        // Filter, then delete (after confirming).
        browser.open("/admin/variables?search=REGION", "variables-filtered");
        assertThat(browser.driver.findElements(By.cssSelector("tr.variable"))).extracting(e -> e.getDomAttribute(
                "data-key")).containsExactly("region");
        browser.driver.findElement(By.cssSelector("tr.variable[data-key='region'] button.danger")).click();
        browser.driver.switchTo().alert().accept();
        browser.await(10, "the list without region", d -> d.findElements(By.cssSelector(
                "tr.variable[data-key='region']")).isEmpty() && d.getCurrentUrl().endsWith("/admin/variables"));
        UI.server.admin(404, "GET", "/api/v1/variables/region", null);
    }

    @Test
    void anAdminManagesAnHttpConnectionWhosePasswordStaysOnTheServer() {
        Browser browser = UI.browser;
        UI.loginAsAdmin();
        String host = "http://127.0.0.1:" + service.getAddress().getPort();
        browser.open("/admin/connections/new", "connection-new");
        fill("conn_id", "ui_http");
        fill("conn_type", "http");
        fill("host", host);
        fill("login", "bot");
        fill("password", PASSWORD);
        fill("extra", "{\"headers\": {\"X-Team\": \"data\", \"X-Access-Token\": \"" + HEADER_SECRET + "\"}}");
        browser.driver.findElement(By.id("save")).click();
        WebElement row = browser.await(10, "the new connection in the list", d -> d.findElement(By.cssSelector(
                "tr.connection[data-conn-id='ui_http']")));
        browser.shot("connection-added");
        assertThat(row.getText()).contains("http", host, "bot");
        assertNoSecretIn("/admin/connections", PASSWORD, HEADER_SECRET);

        // Edit without typing the password: the field is empty, the secret header masked; change the description.
        browser.open("/admin/connections/edit?conn_id=ui_http", "connection-edit");
        WebElement password = browser.driver.findElement(By.id("password"));
        assertThat(password.getDomAttribute("value")).isNull();
        assertThat(password.getDomProperty("value")).isEmpty();
        assertThat(browser.driver.findElement(By.id("extra")).getDomProperty("value"))
                .contains("\"X-Access-Token\" : \"***\"");
        assertNoSecretIn("/admin/connections/edit?conn_id=ui_http", PASSWORD, HEADER_SECRET);
        fill("description", "the test service");
        browser.driver.findElement(By.id("save")).click();
        browser.await(10, "the list after the edit", d -> d.getPageSource().contains("the test service"));

        // The stored connection, tested from the list, still logs in with the password and sends the secret header.
        REQUESTS.clear();
        browser.driver.findElement(By.cssSelector("tr.connection[data-conn-id='ui_http'] button.test")).click();
        assertThat(testResult("connection-tested-from-list")).isEqualTo("✔ Connection works: GET " + host
                + " answered 200");
        assertThat(REQUESTS).hasSize(1);
        Map<String, List<String>> headers = REQUESTS.get(0);
        assertThat(headers.get("Authorization")).containsExactly("Basic " + Base64.getEncoder().encodeToString(
                ("bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(headers.get("X-access-token")).containsExactly(HEADER_SECRET);
        assertThat(headers.get("X-team")).containsExactly("data");
        // And the REST API agrees: the description changed, no password in its answer.
        assertThat(UI.server.admin(200, "GET", "/api/v1/connections/ui_http", null).toString())
                .contains("the test service").doesNotContain(PASSWORD).doesNotContain(HEADER_SECRET);

        // The form's Test button tests what is typed (a port that answers nothing), and the page keeps it.
        browser.open("/admin/connections/edit?conn_id=ui_http", "connection-edit-test");
        fill("host", "http://127.0.0.1:1");
        browser.driver.findElement(By.id("test")).click();
        assertThat(testResult("connection-test-failed")).startsWith("✘ Connection test failed: GET http://127.0.0.1:1"
                + " failed");
        assertThat(browser.driver.findElement(By.id("host")).getDomProperty("value")).isEqualTo("http://127.0.0.1:1");

        // Bad input: the errors say what to fix, and every field but the password keeps what was typed.
        browser.open("/admin/connections/new", "connection-bad-port");
        fill("conn_id", "ui_bad");
        fill("conn_type", "postgres");
        fill("host", "db.example.com");
        fill("password", PASSWORD);
        fill("port", "54x32");
        browser.driver.findElement(By.id("save")).click();
        WebElement error = browser.await(10, "the port error", d -> d.findElement(By.id("form-error")));
        browser.shot("connection-bad-port");
        assertThat(error.getText()).startsWith("Port must be a number from 1 to 65535 (e.g. 5432), not '54x32'.")
                .contains("type it again");
        assertThat(browser.driver.findElement(By.id("host")).getDomProperty("value")).isEqualTo("db.example.com");
        assertThat(browser.driver.findElement(By.id("port")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.getPageSource()).doesNotContain(PASSWORD);

        fill("port", "5432");
        fill("extra", "{sslmode: require}");
        WebElement portError = error;
        browser.driver.findElement(By.id("save")).click();
        // The port's error stays on the page until the answer replaces it: wait for that before reading the new one.
        browser.await(10, "the page after the second save", ExpectedConditions.stalenessOf(portError));
        error = browser.await(10, "the extra error", d -> d.findElement(By.id("form-error")));
        assertThat(error.getText()).startsWith("The extra is not valid JSON (line 1, column 2)");
        assertThat(browser.driver.findElement(By.id("extra")).getDomProperty("value")).isEqualTo("{sslmode: require}");

        browser.open("/admin/connections/new", "connection-duplicate");
        fill("conn_id", "ui_http");
        fill("conn_type", "http");
        browser.driver.findElement(By.id("save")).click();
        error = browser.await(10, "the duplicate id error", d -> d.findElement(By.id("form-error")));
        assertThat(error.getText()).isEqualTo("A connection with the id 'ui_http' exists already: edit it from the"
                + " list, or choose another id.");
        UI.server.admin(404, "GET", "/api/v1/connections/ui_bad", null);

        // Delete, after confirming.
        browser.open("/admin/connections", "connections-before-delete");
        browser.driver.findElement(By.cssSelector("tr.connection[data-conn-id='ui_http'] button.danger")).click();
        browser.driver.switchTo().alert().accept();
        browser.await(10, "the list without ui_http", d -> d.findElements(By.cssSelector(
                "tr.connection[data-conn-id='ui_http']")).isEmpty() && d.getCurrentUrl().endsWith("/admin/connections"));
        UI.server.admin(404, "GET", "/api/v1/connections/ui_http", null);
    }

    @Test
    void viewersAndUsersAreOfferedNothingAndTheirForgedPostsAreRefused() {
        UI.server.admin(200, "POST", "/api/v1/variables", "{\"key\": \"kept\", \"value\": \"1\"}");
        UI.server.admin(200, "POST", "/api/v1/connections", "{\"connection_id\": \"kept_conn\", \"conn_type\": \"fs\","
                + " \"extra\": \"{\\\"path\\\": \\\"/tmp\\\"}\"}");
        for (String[] who : new String[][] {{"vicky", VIEWER_PASSWORD}, {"ursula", USER_PASSWORD}}) {
            Browser browser = UI.browser;
            browser.login(who[0], who[1]);
            browser.await(10, "the DAG list as " + who[0], d -> d.getTitle().startsWith("DAGs"));
            browser.open("/admin/plugins", "admin-as-" + who[0]);
            assertThat(browser.driver.findElements(By.cssSelector("#admin-nav a"))).extracting(WebElement::getText)
                    .doesNotContain("Variables", "Connections");
            for (String page : List.of("/admin/variables", "/admin/variables/new", "/admin/connections",
                    "/admin/connections/edit?conn_id=kept_conn")) {
                browser.open(page, "refused-" + who[0]);
                assertThat(browser.driver.findElement(By.tagName("h1")).getText()).as(page).startsWith("403");
                assertThat(browser.driver.findElements(By.cssSelector("form[method=post]:not(.whoami)"))).as(page)
                        .isEmpty();
            }
            String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getDomAttribute(
                    "content");
            String session = browser.session().getValue();
            String token = "_csrf=" + Browser.encode(csrf);
            Map<String, String> forged = Map.of(
                    "/admin/variables", token + "&key=forged&value=1",
                    "/admin/variables/delete", token + "&key=kept",
                    "/admin/variables/import", token + "&json=" + Browser.encode("{\"forged\": \"1\"}"),
                    "/admin/connections", token + "&conn_id=forged&conn_type=http",
                    "/admin/connections/delete", token + "&conn_id=kept_conn",
                    "/admin/connections/test", token + "&conn_id=kept_conn&stored=true");
            forged.forEach((path, form) -> assertThat(UI.server.postForm(path, session, form).status())
                    .as(who[0] + " posting to " + path).isEqualTo(403));
        }
        UI.server.admin(404, "GET", "/api/v1/variables/forged", null);
        UI.server.admin(200, "GET", "/api/v1/variables/kept", null);
        UI.server.admin(404, "GET", "/api/v1/connections/forged", null);
        UI.server.admin(200, "GET", "/api/v1/connections/kept_conn", null);
    }

    /** Runs ui_read_secret and returns the line its task printed. */
    private static String reversedSecretInTheLog() {
        String run = UI.server.admin(200, "POST", "/api/v1/dags/ui_read_secret/dagRuns", "{}").get("dag_run_id")
                .asText();
        String task = "/api/v1/dags/ui_read_secret/dagRuns/" + Browser.encode(run) + "/taskInstances/reversed";
        UI.browser.await(90, "ui_read_secret to succeed", d -> "success".equals(UI.server.admin(200, "GET", task,
                null).get("state").asText()));
        String log = UI.server.admin(200, "GET", task + "/logs/1", null).get("content").asText();
        String reversed = new StringBuilder(VARIABLE_SECRET).reverse().toString();
        return log.lines().filter(l -> l.contains(reversed)).findFirst().map(l -> reversed).orElse(log);
    }

    private static void fill(String id, String text) {
        WebElement field = UI.browser.driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** The text the test frame shows once the test has answered. */
    private static String testResult(String shot) {
        Browser browser = UI.browser;
        String text = browser.await(20, "the connection test's result", d -> {
            d.switchTo().defaultContent();
            d.switchTo().frame("connection-test");
            List<WebElement> result = d.findElements(By.id("test-result"));
            String t = result.isEmpty() ? null : result.get(0).getText();
            d.switchTo().defaultContent();
            return t;
        });
        browser.shot(shot);
        return text;
    }

    /** The page's HTML as the server sent it (not the browser's view of it) holds none of {@code secrets}. */
    private static void assertNoSecretIn(String path, String... secrets) {
        UiServer.Reply page = UI.server.send("GET", path, null, null, Map.of("Cookie", "weft_session="
                + UI.browser.session().getValue()));
        assertThat(page.status()).isEqualTo(200);
        for (String secret : secrets) {
            assertThat(page.body()).as(path).doesNotContain(secret);
            assertThat(UI.browser.driver.getPageSource()).as(path + " in the browser").doesNotContain(secret);
        }
    }
}
