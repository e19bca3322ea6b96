package dev.barrage.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * A headless Chromium driven through Debian's chromium-driver (packages {@code chromium} and
 * {@code chromium-driver}; nothing is downloaded at run time). Where they are not installed the
 * browser tests are skipped with a message saying so, unless {@code BARRAGE_BROWSER_TESTS=required}
 * (CI sets it), which makes their absence a failure. Host names other than loopback do not resolve
 * in this browser: its traffic stays on the machine.
 *
 * <p>Thread-safety: one test thread per browser.
 */
public final class Browser implements AutoCloseable {

    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration POLL = Duration.ofMillis(100);

    private final ChromeDriver driver;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
    }

    /** Starts a browser, or skips the calling test when none is installed (fails instead when CI requires one). */
    public static Browser start() throws IOException {
        Path chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElse(null);
        boolean installed = chromium != null && Files.isExecutable(CHROMEDRIVER);
        String missing = "Chromium and its driver are not installed (apt-get install chromium chromium-driver): browser test skipped";
        if (!installed && "required".equals(System.getenv("BARRAGE_BROWSER_TESTS"))) {
            throw new AssertionError(missing.replace("browser test skipped", "and BARRAGE_BROWSER_TESTS=required"));
        }
        if (!installed) {
            System.err.println(missing);
        }
        Assumptions.assumeTrue(installed, missing);
        Path downloads = Files.createTempDirectory("barrage-browser-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), downloads);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Replaces what a text field holds by typing, as a person would (so the page sees its input events). */
    public void fill(String css, String text) {
        WebElement field = find(css);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    /** Picks an option of a select by its value, firing the change event a person's choice fires. */
    public void choose(String css, String value) {
        script("const s = document.querySelector(arguments[0]); s.value = arguments[1];"
                + " s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));", css, value);
    }

    /** Runs JavaScript in the page and answers its value ({@code return ...}). */
    @SuppressWarnings("unchecked")
    public <T> T script(String javaScript, Object... arguments) {
        return (T) ((JavascriptExecutor) driver).executeScript(javaScript, arguments);
    }

    /** A number the page's JavaScript answers ({@code return ...}); 0 when it answers null. */
    public long number(String javaScript) {
        Object value = script(javaScript);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Waits (polling) until {@code condition} holds; fails with {@code what} and the page's URL when time is up. */
    public void await(String what, Duration within, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) { // the page may be between two documents
                last = e;
            }
            sleep();
        }
        AssertionError failure = new AssertionError("waited " + within.toSeconds() + " s for " + what + " on " + driver.getCurrentUrl());
        if (last != null) {
            failure.initCause(last);
        }
        throw failure;
    }

    /** Waits for the one file the browser downloads under {@code name} to be complete. */
    public Path awaitDownload(String name, Duration within) {
        Path file = downloads.resolve(name);
        await("the download of " + name, within, () -> Files.isRegularFile(file)
                && !Files.exists(downloads.resolve(name + ".crdownload")));
        return file;
    }

    /** With no network at all (offline emulation), or back online. */
    public void offline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        driver.setNetworkConditions(conditions);
    }

    /** The visible part of the page as PNG, written to {@code file}. */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    @Override
    public void close() {
        driver.quit();
        File[] left = downloads.toFile().listFiles();
        if (left != null) {
            for (File file : left) {
                file.delete();
            }
        }
        downloads.toFile().delete();
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
