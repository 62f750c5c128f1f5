package cn.haizhu.grid.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for browser tests: the machine's {@code /usr/bin/chromium} driven by its
 * {@code /usr/bin/chromedriver} (so Selenium Manager never goes to the network), a 1920×1080
 * window like the map wall, a fresh profile per browser, deleted on {@link #close()}.
 * Paths are relative to the server under test; screenshots go to {@code target/screenshots}.
 * Every browser test also checks the pages against their Content-Security-Policy: a violation
 * the page reports (Chromium logs each) fails the test when the browser is closed.
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);
    static final Path SCREENSHOTS = Path.of(System.getProperty("gridctl.screenshots", "target/screenshots"));

    private final String baseUrl;
    private final Path profile;
    private final ChromeDriver driver;
    private final List<String> cspViolations = new ArrayList<>();

    private boolean closed;

    private Browser(String baseUrl, Path profile, ChromeDriver driver) {
        this.baseUrl = baseUrl;
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts a headless Chromium that opens paths of the server at {@code baseUrl}. */
    public static Browser start(String baseUrl) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("gridctl-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1920,1080",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(DEFAULT_WAIT);
        Browser browser = new Browser(baseUrl, profile, driver);
        browser.viewport(1920, 1080);
        return browser;
    }

    /** Makes the page area (not the window, which has a frame) width × height CSS pixels. */
    public void viewport(int width, int height) {
        @SuppressWarnings("unchecked")
        List<Number> inner = (List<Number>) js("return [window.innerWidth, window.innerHeight]");
        Dimension outer = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(outer.width + width - inner.get(0).intValue(),
                outer.height + height - inner.get(1).intValue()));
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Cuts (true) or restores (false) the page's network, as a tablet losing its mobile signal:
     * fetch fails, navigator.onLine turns false and the page gets its offline / online events.
     */
    public void offline(boolean offline) {
        if (offline) {
            ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
            conditions.setOffline(true);
            driver.setNetworkConditions(conditions);
        } else {
            driver.deleteNetworkConditions();
        }
    }

    /** Lets the page read the device position and makes it (lon, lat), ±10 m. */
    public void geolocation(double lon, double lat) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", baseUrl, "permissions", List.of("geolocation")));
        driver.executeCdpCommand("Emulation.setGeolocationOverride", Map.of("latitude", lat, "longitude", lon, "accuracy", 10));
    }

    /**
     * Lets the pages download files into dir (made afresh, emptied) and returns it: the file a page
     * hands to the browser's downloads (an export) lands there under the name the page gave it.
     */
    public Path downloadsTo(Path dir) {
        deleteTree(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
        return dir;
    }

    /** Waits until the file name is downloaded whole into dir (Chromium writes NAME.crdownload first), and returns it. */
    public Path downloaded(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            waitUntil(d -> Files.isRegularFile(file) && !Files.exists(dir.resolve(name + ".crdownload")), Duration.ofSeconds(60));
        } catch (org.openqa.selenium.TimeoutException e) {
            String[] there = dir.toFile().list();
            throw new AssertionError("no download " + name + " in " + dir + ": " + (there == null ? "[]" : List.of(there)), e);
        }
        return file;
    }

    /**
     * Runs {@code script} in every document this browser opens from now on, before the page's own
     * scripts (CDP {@code Page.addScriptToEvaluateOnNewDocument}): how a test watches what a page
     * does without changing the page.
     */
    public void beforeEveryPage(String script) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    /** Runs asynchronous JavaScript: the script calls arguments[arguments.length - 1] with its result. */
    public Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Opens a path of the server ("/", "/login?next=…"). */
    public void open(String path) {
        driver.get(baseUrl + path);
    }

    /** The current URL's path and query, without the server part. */
    public String location() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    /** Waits until condition returns something other than null or false, and returns that. */
    public <T> T waitUntil(Function<WebDriver, T> condition) {
        return waitUntil(condition, DEFAULT_WAIT);
    }

    public <T> T waitUntil(Function<WebDriver, T> condition, Duration timeout) {
        return waiting(timeout, null).until(condition::apply);
    }

    private WebDriverWait waiting(Duration timeout, String message) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the page may be navigating
        if (message != null) {
            wait.withMessage(message);
        }
        return wait;
    }

    /**
     * Clicks what {@code by} finds once it is shown and enabled, finding it again when the page
     * redrew it in between: a pushed event re-renders parts of the desk and the tablet, so an
     * element found a moment ago may be gone by the click.
     */
    public void click(By by) {
        waitUntil(d -> {
            try {
                WebElement e = d.findElement(by);
                if (!e.isDisplayed() || !e.isEnabled()) {
                    return null;
                }
                e.click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException | ElementNotInteractableException e) {
                return null;
            }
        });
    }

    /** Waits for a visible element. */
    public WebElement waitVisible(By by) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for an element matching css to exist and returns it. */
    public WebElement waitPresent(String css) {
        return waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** The same, failing with message (what probably went wrong) when it does not appear. */
    public WebElement waitPresent(String css, String message) {
        return waiting(DEFAULT_WAIT, message).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** Waits for the page to reach a path (and query) starting with prefix. */
    public String waitForLocation(String prefix) {
        waitUntil(d -> location().startsWith(prefix));
        return location();
    }

    /** Runs JavaScript in the page (arguments as arguments[0…]) and returns its result. */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Whether the page fetched {@code path}, asked at or after {@code at} (ms since the epoch) and
     * answered, by its resource timings.
     */
    public boolean fetchedAfter(String path, long at) {
        return (Boolean) js("""
                return performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === arguments[0]
                  && performance.timeOrigin + e.startTime >= arguments[1] && e.responseEnd > 0);
                """, path, at);
    }

    /** Saves a PNG of the window as target/screenshots/{name}.png and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Errors the page logged to the console since the last call (uncaught exceptions, failed
     * module loads), without the "Failed to load resource" lines that expected 401s produce.
     */
    public List<String> consoleErrors() {
        return newLogEntries().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /**
     * The Content-Security-Policy violations the pages reported since the last call (or since the
     * start), which are then taken as seen: a test that provokes one on purpose takes it here.
     */
    public List<String> cspViolations() {
        newLogEntries();
        List<String> seen = List.copyOf(cspViolations);
        cspViolations.clear();
        return seen;
    }

    /** The console entries since the last look; CSP violations among them are kept for close(). */
    private List<LogEntry> newLogEntries() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        entries.stream().map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).forEach(cspViolations::add);
        return entries;
    }

    /** The cookie called name that the browser holds for the current page, or null. */
    public Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    /** Quits, and fails when a page broke its Content-Security-Policy that no test took as expected. */
    @Override
    public void close() {
        if (closed) {
            return;     // a test may close early; its Browsers closes every browser again at the end
        }
        closed = true;
        List<String> violations = List.of();
        try {
            violations = cspViolations();
        } catch (RuntimeException e) {
            // the browser is gone already: nothing more to read
        } finally {
            try {
                driver.quit();
            } finally {
                deleteTree(profile);
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("the pages broke their Content-Security-Policy: " + violations);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
