package dev.barrage.browser;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.Browser;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The web UI in a real browser (headless Chromium): a test started from the form draws its charts
 * while it runs, through the event stream and by polling; validation errors sit next to their field;
 * a run is cancelled, re-run and compared; the downloaded report opens from disk with no network.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebUiBrowserTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);
    private static final Duration PAGE_LIMIT = Duration.ofSeconds(20);
    private static Browser browser;

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage();

    private BarrageApi barrage;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void connect() {
        barrage = live.api();
    }

    @Test
    void aTestStartedFromTheFormDrawsItsChartsWhileItRunsThroughTheEventStream() throws Exception {
        CountingTarget target = target();
        browser.open(base() + "/");
        browser.await("the examples", PAGE_LIMIT, () -> browser.findAll("#f-example option").size() == 4);

        browser.fill("#f-name", "from the form");
        browser.fill("#f-url", target.url());
        browser.fill("#f-concurrency", "2");
        browser.fill("#f-duration", "5s");
        browser.fill("#f-thresholds", "p99 < 2s");
        JsonNode written = barrage.json(browser.find("#f-json").getDomProperty("value"));
        assertThat(written.at("/request/url").asString()).isEqualTo(target.url());
        assertThat(written.at("/workload/concurrency").asInt()).isEqualTo(2);
        assertThat(written.at("/thresholds/0").asString()).isEqualTo("p99 < 2s");
        browser.find("#start-test").click();

        browser.await("the run page", PAGE_LIMIT, () -> browser.driver().getCurrentUrl().contains("/runs/"));
        String id = idInUrl();
        browser.await("a first point while the run runs", RUN_LIMIT, () -> running() && points("throughput") >= 1);
        long seen = points("throughput");
        browser.await("more points while it still runs", RUN_LIMIT, () -> running() && points("throughput") > seen);
        assertThat(browser.<String>script("return barrageRun.mode")).isEqualTo("events");
        browser.await("the end of the run", RUN_LIMIT, () -> browser.<Boolean>script("return barrageRun.ended"));

        JsonNode run = barrage.getJson("/tests/" + id);
        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        assertThat(run.get("name").asString()).isEqualTo("from the form");
        assertThat(run.at("/summary/requests").asLong()).isEqualTo(target.received());
        assertThat(points("throughput")).isEqualTo(timeline.size());
        assertThat(chartSeries("latency", 3)).isEqualTo(values(timeline, "p99"));
        assertThat(chartSeries("latency", 2)).isEqualTo(values(timeline, "p90"));
        assertThat(chartSeries("throughput", 1)).isEqualTo(values(timeline, "throughput"));
        assertThat(browser.find("#run-status").getText()).isEqualTo("COMPLETED");
        assertThat(browser.find("#run-summary").getText()).contains(String.format(Locale.US, "%,d", target.received()));
        assertThat(browser.find("#run-thresholds").getText()).contains("p99 < 2s").contains("PASS");
    }

    @Test
    void withoutAnEventStreamThePagePollsAndStillDrawsEverySecond() throws Exception {
        CountingTarget target = target();
        String id = barrage.start(closed(target.url(), 2, "5s"));
        browser.open(base() + "/runs/" + id + "?live=polling");

        browser.await("a first point", RUN_LIMIT, () -> running() && points("throughput") >= 1);
        long seen = points("throughput");
        browser.await("more points while it still runs", RUN_LIMIT, () -> running() && points("throughput") > seen);
        assertThat(browser.<String>script("return barrageRun.mode")).isEqualTo("polling");
        browser.await("the end of the run", RUN_LIMIT, () -> browser.<Boolean>script("return barrageRun.ended"));

        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        assertThat(points("throughput")).isEqualTo(timeline.size());
        assertThat(barrage.getJson("/tests/" + id).at("/summary/requests").asLong()).isEqualTo(target.received());
    }

    @Test
    void aQueuedRunsPageShowsItsPlaceAndDrawsOnceItRuns() throws Exception {
        CountingTarget target = target();
        String first = barrage.start(closed(target.url(), 1, "1m"));
        barrage.awaitStatus(first, "RUNNING", RUN_LIMIT);
        String queued = barrage.start(closed(target.url(), 1, "3s"));
        browser.open(base() + "/runs/" + queued);
        browser.await("the queued run", PAGE_LIMIT, () -> "QUEUED".equals(browser.find("#run-status").getText()));
        assertThat(browser.find("#run-meta").getText()).contains("position 1 in the queue");
        assertThat(points("throughput")).isZero();

        assertThat(barrage.cancel(first).statusCode()).isEqualTo(202);

        browser.await("points once it runs", RUN_LIMIT, () -> points("throughput") >= 1);
        browser.await("the end of the run", RUN_LIMIT, () -> browser.<Boolean>script("return barrageRun.ended"));
        assertThat(points("throughput")).isEqualTo(barrage.getJson("/tests/" + queued + "/timeline").size());
        assertThat(browser.find("#run-status").getText()).isEqualTo("COMPLETED");
    }

    @Test
    void aValidationErrorIsShownNextToTheFieldItNamesAndNothingStarts() throws Exception {
        CountingTarget target = target();
        int runsBefore = barrage.getJson("/tests?limit=1000").size();
        browser.open(base() + "/");
        browser.await("the examples", PAGE_LIMIT, () -> browser.findAll("#f-example option").size() == 4);
        browser.fill("#f-url", target.url());
        browser.fill("#f-concurrency", "0");
        browser.find("#start-test").click();

        String next = "[data-error-for='workload.concurrency']";
        browser.await("the error next to Users", PAGE_LIMIT, () -> browser.find(next).isDisplayed());
        assertThat(browser.find(next).getText()).isNotBlank();
        assertThat(browser.find("#f-concurrency").getDomAttribute("class")).contains("invalid");
        assertThat(browser.find("[data-error-for='request.url']").isDisplayed()).isFalse();

        // a part of the definition no form field holds: its error is listed under the editor, by path
        JsonNode definition = barrage.json(browser.find("#f-json").getDomProperty("value"));
        String broken = definition.toString().replace("\"concurrency\":0", "\"concurrency\":1")
                .replace("\"Accept\":\"application/json\"", "\"Bad Header\":\"x\"");
        browser.script("const e = document.getElementById('f-json'); e.value = arguments[0];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", broken);
        browser.find("#start-test").click();
        browser.await("the error under the editor", PAGE_LIMIT, () -> browser.find("#definition-errors").isDisplayed());
        assertThat(browser.find("#definition-errors li").getDomAttribute("data-error-field")).startsWith("request.headers");
        assertThat(browser.find(next).isDisplayed()).isFalse();
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base() + "/");
        assertThat(barrage.getJson("/tests?limit=1000").size()).isEqualTo(runsBefore);
        assertThat(target.received()).isZero();
    }

    @Test
    void aRunIsCancelledFromItsPage() throws Exception {
        CountingTarget target = target();
        String id = barrage.start(closed(target.url(), 1, "1m"));
        browser.open(base() + "/runs/" + id);
        browser.await("the run running", RUN_LIMIT, () -> "RUNNING".equals(browser.find("#run-status").getText()));

        browser.find("#cancel-run").click();

        browser.await("the run cancelled", RUN_LIMIT, () -> "CANCELLED".equals(browser.find("#run-status").getText()));
        assertThat(barrage.awaitEnd(id, RUN_LIMIT).get("status").asString()).isEqualTo("CANCELLED");
        browser.await("cancel disabled", PAGE_LIMIT, () -> !browser.find("#cancel-run").isEnabled());
    }

    @Test
    void reRunStartsTheSameDefinitionAgain() throws Exception {
        CountingTarget target = target();
        String id = barrage.start("""
                {"name": "again", "request": {"url": "%s", "headers": {"X-Probe": "1"}},
                 "workload": {"model": "closed", "concurrency": 1, "duration": "1s"}, "thresholds": ["error_rate < 0.1"]}"""
                .formatted(target.url()));
        barrage.awaitEnd(id, RUN_LIMIT);
        browser.open(base() + "/runs/" + id);
        browser.await("the finished run", PAGE_LIMIT, () -> "COMPLETED".equals(browser.find("#run-status").getText()));

        browser.find("#rerun").click();

        browser.await("the new run's page", PAGE_LIMIT, () -> browser.driver().getCurrentUrl().contains("/runs/")
                && !browser.driver().getCurrentUrl().endsWith("/runs/" + id));
        String again = idInUrl();
        JsonNode first = barrage.getJson("/tests/" + id);
        JsonNode second = barrage.awaitEnd(again, RUN_LIMIT);
        assertThat(second.get("definition")).isEqualTo(first.get("definition"));
        assertThat(first.at("/summary/requests").asLong() + second.at("/summary/requests").asLong()).isEqualTo(target.received());
    }

    @Test
    void twoRunsTickedInTheListAreComparedWithChartsOverlaidAndATableOfChanges() throws Exception {
        CountingTarget target = target();
        String a = barrage.start(closed(target.url(), 1, "2s"));
        JsonNode runA = barrage.awaitEnd(a, RUN_LIMIT);
        String b = barrage.start(closed(target.url(), 2, "3s"));
        JsonNode runB = barrage.awaitEnd(b, RUN_LIMIT);
        browser.open(base() + "/");
        browser.await("both runs listed", PAGE_LIMIT, () -> !browser.findAll("#runs tr[data-id='" + a + "']").isEmpty()
                && !browser.findAll("#runs tr[data-id='" + b + "']").isEmpty());

        for (String id : List.of(a, b)) { // the list redraws itself every 2 s: a row found may be replaced before the click
            browser.await("run " + id + " ticked", PAGE_LIMIT, () -> {
                if (!browser.find("input.pick[value='" + id + "']").isSelected()) {
                    browser.find("input.pick[value='" + id + "']").click();
                }
                return browser.find("input.pick[value='" + id + "']").isSelected();
            });
        }
        browser.await("compare enabled", PAGE_LIMIT, () -> browser.find("#compare-selected").isEnabled());
        browser.find("#compare-selected").click();

        browser.await("the comparison", PAGE_LIMIT, () -> browser.driver().getCurrentUrl().endsWith("/compare?a=" + a + "&b=" + b)
                && browser.<Boolean>script("return !!(window.barrageCharts && barrageCharts.throughput)"));
        JsonNode timelineA = barrage.getJson("/tests/" + a + "/timeline");
        JsonNode timelineB = barrage.getJson("/tests/" + b + "/timeline");
        assertThat(chartSeries("throughput", 1).stream().filter(v -> v != null).toList()).isEqualTo(values(timelineA, "throughput"));
        assertThat(chartSeries("throughput", 2).stream().filter(v -> v != null).toList()).isEqualTo(values(timelineB, "throughput"));
        assertThat(chartSeries("p99", 2).stream().filter(v -> v != null).toList()).isEqualTo(values(timelineB, "p99"));
        String requestsRow = browser.findAll("#changes tbody tr").get(0).getText();
        assertThat(requestsRow).startsWith("requests")
                .contains(String.format(Locale.US, "%,d", runA.at("/summary/requests").asLong()))
                .contains(String.format(Locale.US, "%,d", runB.at("/summary/requests").asLong()));
        assertThat(runA.at("/summary/requests").asLong() + runB.at("/summary/requests").asLong()).isEqualTo(target.received());
    }

    @Test
    void theDownloadedReportOpensFromDiskWithTheNetworkOffAndDrawsItsChart() throws Exception {
        CountingTarget target = target();
        String id = barrage.start("""
                {"name": "report me", "request": {"url": "%s"}, "workload": {"model": "open", "rate": 50, "duration": "3s"},
                 "thresholds": ["p99 < 2s", "rps > 1000000000"]}""".formatted(target.url()));
        JsonNode run = barrage.awaitEnd(id, RUN_LIMIT);
        browser.open(base() + "/runs/" + id);
        browser.await("the finished run", PAGE_LIMIT, () -> "COMPLETED".equals(browser.find("#run-status").getText()));

        browser.find("#download-report").click();
        Path report = browser.awaitDownload("barrage-" + id + ".html", PAGE_LIMIT);

        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        browser.offline(true);
        try {
            browser.open(report.toUri().toString());
            browser.await("the report's charts", PAGE_LIMIT, () -> browser.<Boolean>script("return !!(window.barrageCharts && barrageCharts.throughput)"));
            assertThat(points("throughput")).isEqualTo(timeline.size()).isPositive();
            assertThat(chartSeries("throughput", 1)).isEqualTo(values(timeline, "throughput"));
            assertThat(chartSeries("throughput", 2)).isEqualTo(values(timeline, "targetRate")); // open model: the target rate too
            assertThat(browser.findAll("[data-chart='schedule'] canvas")).hasSize(1);
            assertThat(browser.find("#run-verdict").getText()).isEqualTo("FAILED");
            assertThat(browser.find("#run-thresholds").getText()).contains("rps > 1000000000").contains("FAIL");
            assertThat(browser.find("#run-definition").getText()).contains(target.url());
            assertThat(browser.find("#run-summary").getText())
                    .contains(String.format(Locale.US, "%,d", run.at("/summary/requests").asLong()));
            List<String> fetched = browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
            assertThat(fetched).isEmpty();
        } finally {
            browser.offline(false);
        }
        assertThat(Files.size(report)).isPositive();
    }

    @Test
    void aScreenshotOfTheRunPageForTheReadme() throws Exception {
        CountingTarget target = live.closeAfterTest(new CountingTarget(200, "ok\n".getBytes(), Duration.ofMillis(2)));
        String id = barrage.start("""
                {"name": "checkout at 300/s", "request": {"url": "%s"},
                 "workload": {"model": "open", "rate": 300, "duration": "8s", "maxConcurrency": 200},
                 "thresholds": ["p99 < 250ms", "error_rate < 0.01"]}""".formatted(target.url()));
        browser.resize(1400, 1500);
        try {
            browser.open(base() + "/runs/" + id);
            browser.await("the end of the run", RUN_LIMIT, () -> browser.<Boolean>script("return barrageRun.ended"));
            Path shot = Path.of("target", "screenshots", "run-page.png");
            browser.screenshot(shot);
            if (Boolean.getBoolean("barrage.docs.screenshot")) { // -Dbarrage.docs.screenshot=true refreshes the README's picture
                Files.createDirectories(Path.of("docs", "images"));
                Files.copy(shot, Path.of("docs", "images", "run-page.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        } finally {
            browser.resize(1400, 1000);
        }
    }

    private CountingTarget target() throws Exception {
        return live.target();
    }

    private String base() {
        return live.base();
    }

    private String idInUrl() {
        String url = browser.driver().getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    }

    private boolean running() {
        return "RUNNING".equals(browser.script("return window.barrageRun && barrageRun.run && barrageRun.run.status"));
    }

    /** The points a chart holds (the length of its x values). */
    private long points(String chart) {
        return browser.number("return window.barrageCharts && barrageCharts." + chart + " ? barrageCharts." + chart + ".data[0].length : 0");
    }

    /** One series of a chart's data, as the page holds it. */
    private List<Double> chartSeries(String chart, int series) {
        List<Object> values = browser.script("return barrageCharts." + chart + ".data[" + series + "]");
        return values.stream().map(v -> v == null ? null : ((Number) v).doubleValue()).toList();
    }

    private static List<Double> values(JsonNode timeline, String field) {
        return StreamSupport.stream(timeline.spliterator(), false).map(point -> point.get(field).asDouble()).toList();
    }
}
