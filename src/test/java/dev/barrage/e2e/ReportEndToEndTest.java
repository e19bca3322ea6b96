package dev.barrage.e2e;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /tests/{id}/report: one HTML file that opens from disk with no network (uPlot, the styles and
 * the scripts inline, the run and its whole timeline as JSON in it), that a run's own name or
 * headers cannot break out of, and that an API key guards like the rest of /tests.
 *
 * <p>Two nested classes because they need two application contexts (one with an API key): each has
 * its own server, port and clean-up.
 */
class ReportEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    private static final String DATA_START = "<script type=\"application/json\" id=\"barrage-report-data\">";
    /** Every src= or href= attribute, with its value quoted or not. */
    private static final Pattern REFERENCE =
            Pattern.compile("(?i)\\b(src|href)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]*)");
    private static final Pattern TITLE = Pattern.compile("(?s)<title>(.*?)</title>");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The service as it starts by default, open. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class WithoutAnApiKey {

        @RegisterExtension
        final LiveBarrage live = new LiveBarrage();

        private BarrageApi barrage;

        @BeforeEach
        void connect() {
            barrage = live.api();
        }

        @Test
        void aFinishedRunsReportIsOneFileThatFetchesNothingAndHoldsTheRunAndItsWholeTimeline() throws Exception {
            CountingTarget target = target();
            String id = barrage.start("""
                    {"name": "report smoke", "request": {"url": "%s"},
                     "workload": {"model": "closed", "concurrency": 2, "duration": "2s"},
                     "thresholds": ["error_rate < 0.5"]}""".formatted(target.url()));
            JsonNode finished = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);
            Instant before = Instant.now();

            HttpResponse<String> report = barrage.get("/tests/" + id + "/report");

            Instant after = Instant.now();
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
            assertThat(report.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"barrage-" + id + ".html\"");
            String html = report.body();
            assertThat(html).startsWith("<!doctype html>");
            assertThat(fetchedReferences(html)).as("src/href attributes that would fetch something").isEmpty();
            // the very uPlot, styles and drawing code the run page loads, inline
            assertThat(html).contains(barrage.getOk("/webjars/uplot/dist/uPlot.iife.min.js"),
                    barrage.getOk("/ui/app.css"), barrage.getOk("/ui/run-view.js"), barrage.getOk("/ui/charts.js"));
            assertThat(html).contains("var uPlot=");

            JsonNode data = reportData(html);
            JsonNode run = data.get("run");
            assertThat(run.get("id").asString()).isEqualTo(id);
            assertThat(run.get("name").asString()).isEqualTo("report smoke");
            assertThat(run.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(run.at("/definition/request/url").asString()).isEqualTo(target.url());
            assertThat(run.at("/definition/workload/concurrency").asInt()).isEqualTo(2);
            long requests = run.at("/summary/requests").asLong();
            assertThat(requests).isPositive().isEqualTo(target.received())
                    .isEqualTo(finished.at("/summary/requests").asLong());
            assertThat(run.at("/thresholds/0/expression").asString()).isEqualTo("error_rate < 0.5");
            assertThat(run.at("/thresholds/0/passed").asBoolean()).isTrue();
            assertThat(run.get("verdict").asString()).isEqualTo("PASSED");

            JsonNode timeline = data.get("timeline");
            assertThat(timeline.isArray()).isTrue();
            assertThat(timeline.size()).isPositive();
            long timelineRequests = 0;
            for (JsonNode point : timeline) {
                timelineRequests += point.get("requests").asLong();
                for (String percentile : List.of("p50", "p90", "p99")) {
                    assertThat(point.get(percentile)).as("%s of point %s", percentile, point).isNotNull();
                    assertThat(point.get(percentile).isNumber()).as("%s of point %s", percentile, point).isTrue();
                }
                assertThat(point.get("p50").asDouble()).as("point %s", point)
                        .isLessThanOrEqualTo(point.get("p90").asDouble());
                assertThat(point.get("p90").asDouble()).as("point %s", point)
                        .isLessThanOrEqualTo(point.get("p99").asDouble());
            }
            assertThat(timelineRequests).as("timeline " + timeline).isEqualTo(requests);
            // a finished run's timeline is final: the report holds exactly what the API answers
            assertThat(timeline).isEqualTo(barrage.getJson("/tests/" + id + "/timeline"));
            assertThat(Instant.parse(data.get("generatedAt").asString())).isBetween(before, after);
        }

        @Test
        void aRunsNameAndHeadersCannotEndTheDataBlockOrOpenAComment() throws Exception {
            String name = "</script><script>window.hacked=1</script>";
            String header = "<!-- <script> still text";
            CountingTarget target = target();
            String id = barrage.start("""
                    {"name": "%s", "request": {"url": "%s", "headers": {"X-Note": "%s"}},
                     "workload": {"model": "closed", "concurrency": 1, "duration": "1s"}}"""
                    .formatted(name, target.url(), header));
            barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

            String html = barrage.getOk("/tests/" + id + "/report");

            assertThat(html).doesNotContain("</script><script>window.hacked").doesNotContain("<!--");
            // the data block, the inlined code and the boot script: three elements, each closed once
            String lower = html.toLowerCase(Locale.ROOT);
            assertThat(occurrences(lower, "<script")).isEqualTo(3);
            assertThat(occurrences(lower, "</script")).isEqualTo(3);
            Matcher title = TITLE.matcher(html);
            assertThat(title.find()).as("a <title> in the report").isTrue();
            assertThat(title.group(1))
                    .isEqualTo("&lt;/script&gt;&lt;script&gt;window.hacked=1&lt;/script&gt; · Barrage report");
            JsonNode run = reportData(html).get("run");
            assertThat(run.get("name").asString()).isEqualTo(name);
            assertThat(run.at("/definition/request/headers/X-Note").asString()).isEqualTo(header);
            assertThat(run.at("/summary/requests").asLong()).isPositive().isEqualTo(target.received());
        }

        @Test
        void theReportOfAnUnknownRunIsA404Problem() throws Exception {
            HttpResponse<String> answer = barrage.get("/tests/nope/report");

            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = barrage.json(answer);
            assertThat(problem.get("type").asString()).endsWith("/run-not-found");
            assertThat(problem.get("status").asInt()).isEqualTo(404);
            assertThat(problem.get("instance").asString()).isEqualTo("/tests/nope/report");
        }

        @Test
        void aRunningRunHasAReportOfItAsItIsNow() throws Exception {
            CountingTarget target = target();
            String id = barrage.start(closed(target.url(), 1, "1m"));
            barrage.awaitStatus(id, "RUNNING", RUN_LIMIT);

            HttpResponse<String> report = barrage.get("/tests/" + id + "/report");

            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"barrage-" + id + ".html\"");
            JsonNode run = reportData(report.body()).get("run");
            assertThat(run.get("id").asString()).isEqualTo(id);
            assertThat(run.get("status").asString()).isEqualTo("RUNNING");
            assertThat(run.get("finishedAt").isNull()).isTrue();
            assertThat(barrage.cancel(id).statusCode()).isEqualTo(202);
            barrage.awaitStatus(id, "CANCELLED", RUN_LIMIT);
        }

        private CountingTarget target() throws Exception {
            return live.target();
        }
    }

    /**
     * With an API key, the report is guarded like the rest of /tests while the pages and their
     * files stay open (a page asks for the key). The properties are ApiKeyEndToEndTest's, so the
     * two share one application context.
     */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"barrage.security.api-key=" + WithAnApiKey.KEY, "barrage.security.protect-metrics=true"})
    class WithAnApiKey {

        static final String KEY = "s3cret-key";

        @RegisterExtension
        final LiveBarrage live = new LiveBarrage(KEY);

        @Test
        void theReportNeedsTheKeyAndThePagesAndTheirFilesDoNot() throws Exception {
            CountingTarget target = live.target();
            BarrageApi withKey = live.api();
            BarrageApi withoutKey = new BarrageApi(live.port());
            String id = withKey.start(closed(target.url(), 1, "1s"));
            assertThat(withKey.getJson("/tests/" + id + "?wait=15s").get("status").asString()).isEqualTo("COMPLETED");
            String report = "/tests/" + id + "/report";

            HttpResponse<String> noKey = withoutKey.get(report);
            HttpResponse<String> wrongKey = new BarrageApi(live.port(), "not-the-key").get(report);
            HttpResponse<String> rightKey = withKey.get(report);

            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(noKey.body()).doesNotContain("barrage-report-data");
            assertThat(withoutKey.json(noKey).get("type").asString()).endsWith("/unauthorized");
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(rightKey.statusCode()).isEqualTo(200);
            assertThat(reportData(rightKey.body()).at("/run/summary/requests").asLong())
                    .isPositive().isEqualTo(target.received());
            for (String open : List.of("/", "/runs/x", "/compare", "/ui/examples.json", "/ui/app.css",
                    "/webjars/uplot/dist/uPlot.iife.min.js")) {
                assertThat(withoutKey.get(open).statusCode()).as("GET %s without the key", open).isEqualTo(200);
            }
        }
    }

    /** The JSON between the data block's start tag and the first end tag after it, parsed. */
    private static JsonNode reportData(String html) {
        int start = html.indexOf(DATA_START);
        assertThat(start).as("the report's data block").isNotNegative();
        int end = html.indexOf("</script>", start);
        assertThat(end).as("the end of the report's data block").isPositive();
        return JSON.readTree(html.substring(start + DATA_START.length(), end));
    }

    /** The values of src= and href= attributes that are neither a fragment nor inline data. */
    private static List<String> fetchedReferences(String html) {
        List<String> fetched = new ArrayList<>();
        Matcher reference = REFERENCE.matcher(html);
        while (reference.find()) {
            String value = reference.group(2).replaceAll("^[\"']|[\"']$", "").strip();
            if (!value.isEmpty() && !value.startsWith("#") && !value.toLowerCase(Locale.ROOT).startsWith("data:")) {
                fetched.add(reference.group());
            }
        }
        return fetched;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
