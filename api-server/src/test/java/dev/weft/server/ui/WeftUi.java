package dev.weft.server.ui;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * One {@code weft standalone} process and one browser for a whole test class (starting them is most of a browser
 * test's time): register it as a static field with {@code @RegisterExtension}. A failed test leaves a screenshot of
 * what the browser showed, and the exception names the server's log.
 */
final class WeftUi implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {
    private final Map<String, String> dagFiles;
    UiServer server;
    Browser browser;

    /** {@code dagFiles}: file name → content, put into the DAGs folder before the server starts. */
    WeftUi(Map<String, String> dagFiles) {
        this.dagFiles = dagFiles;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = UiServer.start(dagFiles);
        browser = Browser.start(server, context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.shot("FAILED-" + context.getRequiredTestMethod().getName());
            System.err.println("server log of the failed " + context.getDisplayName() + " is "
                    + server.home.resolve("standalone.log"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Logs in as admin with the password standalone generated. */
    void loginAsAdmin() {
        browser.login("admin", server.adminPassword);
    }
}
