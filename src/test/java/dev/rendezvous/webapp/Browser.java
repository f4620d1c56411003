package dev.rendezvous.webapp;

import dev.rendezvous.signaling.Server;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * One real headless Chromium with a fake camera and microphone, driven through Debian's chromedriver: the test's hands
 * on the demo page. Waits are bounded; what it reads is the page's real RTCPeerConnection and video state.
 */
final class Browser implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;
    final String name;

    private Browser(String name) throws IOException {
        this.name = name;
        this.profile = Files.createTempDirectory("rendezvous-chromium-");
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=fps=10",
                "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                "--auto-select-desktop-capture-source=Entire screen", // getDisplayMedia gets the (fake) screen, 16:9
                "--window-size=1280,760", "--user-data-dir=" + profile,
                "--ignore-certificate-errors"); // the TLS run's certificate is the build's own, self-signed
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    /**
     * A fresh browser. Without Debian's chromium and chromium-driver a developer's run skips the browser tests with a
     * message; in CI (which installs them) their absence is a failure.
     */
    static Browser launch(String name) throws IOException {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                    "browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        }
        return new Browser(name);
    }

    /**
     * Leaves whatever page is open for an empty one, ending its session on purpose first and forgetting what the tab
     * kept (a session to resume, a sign-in token), so that the next test's page starts afresh.
     */
    void idle() {
        script("window.rendezvous?.client?.close(); try { sessionStorage.clear(); } catch (noStorage) { }");
        driver.get("about:blank");
    }

    void open(String path) {
        driver.get(Server.httpUri(path).toString());
    }

    /**
     * Opens {@code path} signed in as {@code user} over HTTP BASIC, the credentials in the URL as a person would type
     * them into the login prompt; the browser keeps them for the page's own requests to the server.
     */
    void openAs(String user, String password, String path) throws URISyntaxException {
        var server = Server.httpUri(path);
        driver.get(new URI(server.getScheme(), user + ":" + password, server.getHost(), server.getPort(), server.getPath(),
                null, null).toString());
    }

    /** Opens {@code path} of the server at another address (a proxy in front of it). */
    void open(URI base, String path) {
        driver.get(base.resolve(path).toString());
    }

    /** Reloads the page, as its user pressing F5 would. */
    void reload() {
        driver.navigate().refresh();
    }

    /** Fills the landing form and joins {@code room} as this browser's name. */
    void join(String room) {
        open("/?room=" + room);
        fillAndJoin();
    }

    /** Like {@link #join(String)}, through the server at {@code base}. */
    void join(URI base, String room) {
        open(base, "/?room=" + room);
        fillAndJoin();
    }

    /** Opens {@code path} (with its query and fragment), fills the landing form and joins as this browser's name. */
    void joinAt(String path) {
        open(path);
        fillAndJoin();
    }

    /**
     * From the next page on, every RTCPeerConnection the page makes uses TURN relays only ({@code iceTransportPolicy:
     * 'relay'}), and the type of each local candidate it gathers, and each ICE candidate error, is kept in
     * {@code window.__ice}: the test's instrument, installed before any of the page's own scripts run.
     */
    void forceRelay() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", """
                (() => {
                  const Native = window.RTCPeerConnection;
                  window.__ice = { candidates: [], errors: [] };
                  window.RTCPeerConnection = class extends Native {
                    constructor(config = {}) {
                      super({ ...config, iceTransportPolicy: 'relay' });
                      this.addEventListener('icecandidate', (e) => e.candidate && window.__ice.candidates.push(e.candidate.type));
                      this.addEventListener('icecandidateerror', (e) => window.__ice.errors.push(e.errorCode + ' ' + e.errorText));
                    }
                    setConfiguration(config) {
                      return super.setConfiguration({ ...config, iceTransportPolicy: 'relay' });
                    }
                  };
                })();
                """));
    }

    private void fillAndJoin() {
        var displayName = field("#display-name");
        displayName.clear(); // the page remembers the last name used
        displayName.sendKeys(name);
        field("#join").click();
    }

    void click(String selector) {
        field(selector).click();
    }

    WebElement field(String selector) {
        return until(d -> d.findElement(By.cssSelector(selector)));
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** Waits, at most {@link #PATIENCE}, until {@code condition} gives something other than null or false. */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).ignoring(RuntimeException.class).until(condition);
    }

    /** The connectionState of every RTCPeerConnection the room page holds, by remote display name. */
    @SuppressWarnings("unchecked")
    java.util.Map<String, String> connectionStates() {
        return (java.util.Map<String, String>) script(
                "return Object.fromEntries([...window.rendezvous.calls.values()]"
                        + ".map(e => [e.name, e.call.pc.connectionState]))");
    }

    /** The width of each remote video the room page shows, by display name. */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Long> remoteVideoWidths() {
        return (java.util.Map<String, Long>) script(
                "return Object.fromEntries([...document.querySelectorAll('.tile.remote')]"
                        + ".map(t => [t.querySelector('figcaption').textContent, t.querySelector('video').videoWidth]))");
    }

    /** How many video frames this page has decoded from the call with {@code name}: it grows while media flows. */
    long framesDecodedFrom(String name) {
        return ((Number) script("const e = [...window.rendezvous.calls.values()].find(e => e.name === arguments[0]);"
                + " return e.call.pc.getStats().then(report => [...report.values()]"
                + ".filter(s => s.type === 'inbound-rtp' && s.kind === 'video').reduce((n, s) => n + (s.framesDecoded ?? 0), 0));", name)).longValue();
    }

    /** The width-to-height ratio of each remote video the room page shows, by display name (0 until a frame arrives). */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Double> remoteAspectRatios() {
        return (java.util.Map<String, Double>) script(
                "return Object.fromEntries([...document.querySelectorAll('.tile.remote')].map(t => {"
                        + " const v = t.querySelector('video');"
                        + " return [t.querySelector('figcaption').textContent, v.videoHeight ? v.videoWidth / v.videoHeight : 0.0]; }))");
    }

    /** Whether the element is on screen as a person would see it: displayed, not merely present. */
    boolean visible(String selector) {
        var found = driver.findElements(By.cssSelector(selector));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /** What the page logged as errors to its console since the last call (failed loads included). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(entry -> entry.getMessage()).toList();
    }

    @SuppressWarnings("unchecked")
    List<String> chatLines() {
        return (List<String>) script("return [...document.querySelectorAll('#chat-log li')].map(li => li.textContent)");
    }

    String notice() {
        return (String) script("const n = document.querySelector('#notice'); return n.hidden ? '' : n.textContent");
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
