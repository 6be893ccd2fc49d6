package dev.weft.server.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's headless chromium driven through its chromedriver, both named explicitly so Selenium Manager never starts
 * (it would try the network), with its own HOME, XDG folders and profile in a temporary folder (chromium writes into
 * HOME). Every page it opens is saved as a screenshot under {@code target/screenshots/<test class>/}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    /** The server whose pages {@link #open} opens. */
    UiServer server;
    private final Path scratch;
    private final Path shots;
    private int shotNumber;

    private Browser(String testClass) throws IOException {
        // A missing browser fails the build: skipping would let the UI go untested without anyone noticing.
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("The web UI's browser tests need Debian's chromium and its chromedriver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): install them with `apt-get install chromium "
                    + "chromium-driver` (.ci/run does).");
        }
        this.scratch = Files.createTempDirectory("weft-browser");
        this.shots = Files.createDirectories(SCREENSHOTS.resolve(testClass));
        try (Stream<Path> old = Files.list(shots)) {
            for (Path f : old.toList()) {
                Files.delete(f); // the last run's pictures, so the folder shows this run only
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + Files.createDirectories(scratch.resolve("profile")), "--window-size=1400,1000",
                "--lang=en-US", "--no-first-run", "--no-default-browser-check", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("HOME", Files.createDirectories(scratch.resolve("home")).toString(),
                        "XDG_CONFIG_HOME", Files.createDirectories(scratch.resolve("config")).toString(),
                        "XDG_CACHE_HOME", Files.createDirectories(scratch.resolve("cache")).toString(),
                        "XDG_DATA_HOME", Files.createDirectories(scratch.resolve("data")).toString()))
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    static Browser start(String testClass) throws IOException {
        return new Browser(testClass);
    }

    /** Opens a page of the server and saves its screenshot as {@code name}. */
    void open(String path, String name) {
        driver.get(server.url(path));
        shot(name);
    }

    /**
     * Saves what the browser shows now as {@code NN-name.png}: the visible part of the page, no taller than the page
     * itself (a short page leaves no empty band below it).
     */
    void shot(String name) {
        Path file = shots.resolve(String.format("%02d-%s.png", ++shotNumber, name.replaceAll("[^A-Za-z0-9._-]", "_")));
        @SuppressWarnings("unchecked")
        Map<String, Number> view = (Map<String, Number>) driver.executeScript("return {x: window.scrollX, "
                + "y: window.scrollY, width: window.innerWidth, height: Math.min(window.innerHeight, Math.ceil("
                + "Math.max(...Array.from(document.body.children, e => e.getBoundingClientRect().bottom)) + 12))}");
        Map<String, Object> clip = Map.of("x", view.get("x"), "y", view.get("y"), "width", view.get("width"),
                "height", view.get("height"), "scale", 1);
        String png = (String) driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "clip", clip)).get("data");
        try {
            Files.write(file, Base64.getDecoder().decode(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs in through the login form; returns the page it lands on (the DAG list, or the form with an error). */
    void login(String username, String password) {
        driver.manage().deleteAllCookies();
        driver.get(server.url("/login"));
        WebElement user = driver.findElement(By.id("username"));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
    }

    /** The session cookie, or null when there is none. */
    Cookie session() {
        return driver.manage().getCookieNamed("weft_session");
    }

    /** A value for a URL's query, as the pages encode run ids ({@code +} and {@code :} in them). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Waits up to {@code seconds} for {@code condition} to be non-null and not false, polling every 100 ms; an element
     * that live refresh swapped out while the condition read it counts as not yet.
     */
    <T> T await(int seconds, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + "; the page " + driver.getCurrentUrl() + " shows:\n"
                        + driver.findElement(By.tagName("body")).getText())
                .until(condition);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a temporary folder left behind is not worth failing the tests for
            }
        }
    }
}
