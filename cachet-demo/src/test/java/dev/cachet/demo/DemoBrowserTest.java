package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a browser, as a person would use it: headless Chromium (Debian's {@code chromium},
 * driven through Debian's {@code chromedriver}; nothing is downloaded) on the demo at its default
 * scale, where a heavy user's ranking takes seconds. Opens the users page, a heavy user (computed,
 * then cached), pages through, adds a feed (the page comes back at once from the previous ranking,
 * marked stale, then reloads itself fresh: new links, no slow page) and checks that the stats
 * page's four charts drew.
 *
 * <p>A screenshot of each step goes to {@code target/surefire-reports/screenshots/NN-step.png};
 * with {@code -Dcachet.demo.screenshots=docs} a passing run also refreshes the README's
 * {@code docs/demo-user.png} and {@code docs/demo-stats.png}. Without Chromium or chromedriver the
 * test is skipped, or fails when servers are required ({@link Servers#serversRequired()}).
 */
class DemoBrowserTest {
    static final String HOW = "install them with: apt-get install -y chromium chromium-driver";
    /** The bound of every wait: a page computed while the browser waits, a recomputation in the background. */
    static final Duration BOUND = Duration.ofSeconds(90);
    static final String SCREENSHOTS_PROPERTY = "cachet.demo.screenshots";
    static final List<String> CHARTS = List.of("chart-hit-ratio", "chart-page-times", "chart-work", "chart-timeline");

    /**
     * Selenium looks for a DevTools (CDP) binding matching the browser and warns that there is none:
     * the test does not use CDP (kept here: java.util.logging holds loggers weakly).
     */
    static final Logger CDP_WARNING = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static Demo demo;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static Path reports;
    static int shots;

    @BeforeAll
    static void start(@TempDir Path tmp) throws IOException {
        CDP_WARNING.setLevel(Level.SEVERE);
        Path chromium = Servers.requireExecutable("chromium", HOW);
        Path chromedriver = Servers.requireExecutable("chromedriver", HOW);
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        reports = module.resolve("target/surefire-reports");
        Files.createDirectories(reports.resolve("screenshots"));
        demo = Demo.builder().listen("127.0.0.1", 0).data(tmp.resolve("data")).feedUpdates(Duration.ZERO).start();

        // the driver's path is given: Selenium Manager is never asked (it would download one)
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withLogFile(reports.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toString()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")), "--window-size=1280,1600");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(BOUND).scriptTimeout(Duration.ofSeconds(10));
        wait = new WebDriverWait(driver, BOUND, Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aVisitAsAPersonWouldMakeIt() throws Exception {
        String heavy = demo.users().entrySet().stream().filter(e -> e.getValue().equals("heavy")).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        driver.get(demo.uri().toString());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.user")));
        shot("users");

        // a heavy user: the first visit computes the ranking while the browser waits
        PageState first = clickAndLoad(driver.findElement(By.cssSelector("a.user[href='/u/" + heavy + "']")));
        shot("computed");
        assertThat(first.outcome()).as("first visit of %s: %s", heavy, first).isEqualTo("computed");
        assertThat(first.links()).hasSize(100);
        log("first page, computed", first);

        // the other pages are stored in the background: wait until they are, as a reader coming back later would
        HttpClient http = HttpClient.newHttpClient();
        assertThat(Servers.waitUntil(() -> pendingStores(http) == 0, BOUND)).as("the ranking's pages stored").isTrue();

        driver.navigate().refresh();
        PageState cached = state();
        Path cachedShot = shot("cached");
        assertThat(cached.outcome()).as("the same page again: %s", cached).isEqualTo("cached");
        assertThat(cached.links()).isEqualTo(first.links());
        log("the same page again", cached);

        // paging through: forward twice and back, every page from the cache
        String[] expectedPages = {"2", "3", "2", "1"};
        String[] buttons = {"next", "next", "prev", "prev"};
        for (int i = 0; i < buttons.length; i++) {
            PageState s = clickAndLoad(driver.findElement(By.id(buttons[i])));
            shot("page-" + expectedPages[i]);
            assertThat(s.page()).as("after clicking #%s: %s", buttons[i], s).isEqualTo(expectedPages[i]);
            assertThat(s.outcome()).as("page %s: %s", s.page(), s).isEqualTo("cached");
            assertThat(s.links()).hasSize(100);
            log("page " + s.page(), s);
        }
        PageState before = state();
        assertThat(before.links()).isEqualTo(first.links());

        // add a feed: the page comes back at once, from the previous ranking, while the new one is computed
        new Select(driver.findElement(By.id("feed"))).selectByIndex(0);
        PageState afterAdd = clickAndLoad(driver.findElement(By.id("add")));
        shot("after-add-feed");
        log("right after adding a feed", afterAdd);
        assertThat(afterAdd.outcome()).as("the page right after adding a feed is answered from the previous ranking"
                + " while the new one is computed in the background (LinkPages.changed must expire the user's"
                + " namespace, not invalidate it): %s", afterAdd).isEqualTo("stale");
        assertThat(afterAdd.pageVersion()).as("the previous ranking's data version").isLessThan(afterAdd.dataVersion());
        assertThat(afterAdd.recomputing()).as("the page says it is recomputing").isTrue();
        assertThat(afterAdd.links()).isEqualTo(before.links());

        // it reloads itself when the new ranking is ready
        long t0 = System.nanoTime();
        PageState fresh = new WebDriverWait(driver, BOUND, Duration.ofMillis(100))
                .withMessage("the stale page to reload itself with the new ranking").ignoring(StaleElementReferenceException.class).ignoring(JavascriptException.class)
                .until(d -> {
                    PageState s = state();
                    return s.outcome() != null && !s.outcome().equals("stale") && s.pageVersion() == s.dataVersion() ? s : null;
                });
        double reloadedAfter = (System.nanoTime() - t0) / 1e6;
        shot("fresh");
        log(String.format(Locale.ROOT, "reloaded itself %.0f ms later", reloadedAfter), fresh);
        assertThat(fresh.outcome()).as("the reloaded page comes from the cache, computed in the background: %s", fresh)
                .isEqualTo("cached");
        assertThat(fresh.links()).as("the new ranking's links (URLs or order)").isNotEqualTo(before.links());
        assertThat(fresh.totalLinks()).as("the total number of links, before: %s; after: %s", before.summary(),
                fresh.summary()).isNotEqualTo(before.totalLinks());

        // the stats page: the four charts drew their marks
        clickAndLoad(driver.findElement(By.cssSelector("header a[href='/stats']")));
        Path statsShot = shot("stats");
        for (String id : CHARTS) {
            WebElement svg = driver.findElement(By.id(id));
            int marks = Integer.parseInt(svg.getDomAttribute("data-marks"));
            Rectangle r = svg.getRect();
            List<WebElement> drawn = svg.findElements(By.cssSelector(".mark"));
            long visible = drawn.stream().filter(m -> m.getRect().getWidth() > 0 && m.getRect().getHeight() > 0).count();
            System.out.printf(Locale.ROOT, "[browser] %s: %d marks, %dx%d px, %d visible%n", id, marks, r.getWidth(),
                    r.getHeight(), visible);
            assertThat(marks).as("%s data-marks", id).isPositive();
            assertThat(drawn).as("%s .mark elements", id).hasSize(marks);
            assertThat(r.getWidth()).as("%s rendered width", id).isPositive();
            assertThat(r.getHeight()).as("%s rendered height", id).isPositive();
            assertThat(visible).as("%s marks drawn with a size", id).isPositive();
        }

        if ("docs".equals(System.getProperty(SCREENSHOTS_PROPERTY))) {
            Path docs = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("docs");
            Files.copy(cachedShot, docs.resolve("demo-user.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(statsShot, docs.resolve("demo-stats.png"), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("[browser] README screenshots refreshed in " + docs);
        }
    }

    /** A user page as the browser shows it. */
    record PageState(String url, String outcome, String badge, long pageVersion, long dataVersion, String summary,
            String page, List<String> links, boolean recomputing, double navigationMillis, double serverMillis) {
        /** The "N links" of the summary line, or -1. */
        long totalLinks() {
            Matcher m = Pattern.compile("([\\d,]+) links from").matcher(summary);
            return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %s (%s), page %s, %d links (first %s), %s", url, outcome, badge, page,
                    links.size(), links.isEmpty() ? "none" : links.get(0), summary);
        }
    }

    private static final String STATE_SCRIPT = """
            const o = document.getElementById('outcome');
            const text = s => { const e = document.querySelector(s); return e ? e.textContent : ''; };
            const n = performance.getEntriesByType('navigation')[0];
            const st = n && n.serverTiming ? n.serverTiming.find(t => t.name === 'page') : null;
            return {url: location.href, outcome: o ? o.dataset.outcome : null, badge: o ? o.textContent : '',
              pageVersion: text('#page-version'), dataVersion: text('#data-version'), summary: text('#outcome + .muted'),
              page: text('.pager b'), recomputing: !!document.getElementById('recomputing'),
              links: Array.from(document.querySelectorAll('table#links tr.link td:nth-child(2) a')).map(a => a.getAttribute('href')),
              navigationMillis: n ? n.responseEnd - n.startTime : -1, serverMillis: st ? st.duration : -1};
            """;

    /** The current page's state, read in one script (the page may reload itself at any time). */
    @SuppressWarnings("unchecked")
    static PageState state() {
        Map<String, Object> m = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(STATE_SCRIPT);
        return new PageState((String) m.get("url"), (String) m.get("outcome"), ((String) m.get("badge")).trim(),
                number((String) m.get("pageVersion")), number((String) m.get("dataVersion")), (String) m.get("summary"),
                (String) m.get("page"), (List<String>) m.get("links"), (Boolean) m.get("recomputing"),
                ((Number) m.get("navigationMillis")).doubleValue(), ((Number) m.get("serverMillis")).doubleValue());
    }

    private static long number(String s) {
        return s == null || s.isBlank() ? -1 : Long.parseLong(s.trim());
    }

    /** Clicks {@code element} and waits (bounded) until the page it leads to has loaded. */
    static PageState clickAndLoad(WebElement element) {
        WebElement old = driver.findElement(By.tagName("html"));
        element.click();
        wait.until(ExpectedConditions.stalenessOf(old));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        return state();
    }

    /** Saves a screenshot of the window as {@code screenshots/NN-name.png} in the test reports. */
    static Path shot(String name) throws IOException {
        Path to = reports.resolve("screenshots").resolve(String.format(Locale.ROOT, "%02d-%s.png", ++shots, name));
        Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
        return to;
    }

    private static void log(String what, PageState s) {
        System.out.printf(Locale.ROOT, "[browser] %-30s %-8s server %8.2f ms, navigation %8.1f ms, data %d of %d: %s%n",
                what, s.outcome(), s.serverMillis(), s.navigationMillis(), s.pageVersion(), s.dataVersion(), s.url());
    }

    private static long pendingStores(HttpClient http) {
        try {
            String json = http.send(HttpRequest.newBuilder(demo.uri().resolve("/stats.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"pendingStores\":(\\d+)").matcher(json);
            if (!m.find()) {
                throw new AssertionError("stats.json has no pendingStores: " + json);
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new AssertionError("GET /stats.json: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
