package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the real-browser UI tests: Debian's headless Chromium driven by Debian's chromedriver
 * (explicit paths, so Selenium Manager never downloads anything), one browser for the whole test run,
 * screenshots under {@code target/screenshots/<page>.png}, and the browser console checked for errors
 * (a Content-Security-Policy violation or a failed script shows up there).
 *
 * <p>Chromium is required: without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests
 * fail (CI installs both: {@code apt-get install -y chromium chromium-driver}). Subclasses are
 * {@code @QuarkusTest}s with the shared {@code CairnTestResources}.
 */
public abstract class BrowserTestBase {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);

    private static ChromeDriver driver;
    private static Path profile;

    @TestHTTPResource("/")
    URL base;

    /** The shared browser, started on first use and quit when the test JVM exits. */
    protected static synchronized WebDriver driver() {
        if (driver == null) {
            assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                    "Browser tests need Debian's Chromium: apt-get install -y chromium chromium-driver "
                            + "(expected " + CHROMIUM + " and " + CHROMEDRIVER + ")");
            try {
                profile = Files.createTempDirectory("cairn-chromium");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,800");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1280, 800));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            Runtime.getRuntime().addShutdownHook(new Thread(BrowserTestBase::quit));
        }
        return driver;
    }

    private static synchronized void quit() {
        if (driver != null) {
            try {
                driver.quit();
            } catch (RuntimeException ignored) {
                // the JVM is exiting
            }
            driver = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory
            }
        }
    }

    /** Opens a path of the application under test, e.g. {@code /runs}. */
    protected void open(String path) {
        String root = base.toString().replaceAll("/$", "");
        driver().get(root + path);
    }

    protected WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    protected List<WebElement> findAll(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /**
     * Waits for a condition; elements replaced meanwhile (htmx swaps, re-renders, a form's POST navigating) are
     * looked up again. Mid-navigation chromedriver reports a replaced element either as stale or as an "unknown
     * error: Node with given id does not belong to the document", a plain WebDriverException, so any is retried;
     * if the condition never holds the wait still fails, with the last of them as its cause.
     */
    protected <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver(), WAIT).ignoring(WebDriverException.class).until(condition);
    }

    protected Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(script, args);
    }

    /** The page at the 1280x800 window, as {@code target/screenshots/<page>.png}. */
    protected static Path screenshot(String page) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(page + ".png");
            Path shot = ((ChromeDriver) driver()).getScreenshotAs(OutputType.FILE).toPath();
            Files.move(shot, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole page (window 1280 wide, as tall as the document, at most 8000 px), then back to 1280x800. */
    protected Path fullPageScreenshot(String page) {
        long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        driver().manage().window().setSize(new Dimension(1280, (int) Math.min(8000, Math.max(800, height + 140))));
        try {
            return screenshot(page);
        } finally {
            driver().manage().window().setSize(new Dimension(1280, 800));
        }
    }

    /** Severe browser console entries since the last call (errors, CSP violations, failed loads). */
    protected static List<String> consoleErrors() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver().manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    protected static void assertNoConsoleErrors(String where) {
        List<String> errors = consoleErrors();
        assertTrue(errors.isEmpty(), "browser console errors on " + where + ": " + errors);
    }
}
