package dev.weft.server.ui;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        // The browser starts while the server does: the server's start is most of the wait.
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Browser> starting = background.submit(() -> Browser.start(context.getRequiredTestClass()
                .getSimpleName()));
        background.shutdown();
        try {
            server = UiServer.start(dagFiles);
        } finally {
            browser = starting.get();
        }
        browser.server = server;
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

    /** Logs in as admin with the password standalone generated, and waits for the DAG list. */
    void loginAsAdmin() {
        browser.login("admin", server.adminPassword);
        browser.await(10, "the DAG list after logging in", d -> d.getTitle().startsWith("DAGs"));
    }
}
