package dev.barrage.e2e;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Barrage started on a random port, load sent to a real HTTP target on an ephemeral loopback port:
 * what the target counted must be exactly what the summary reports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClosedModelEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    private BarrageApi barrage;
    private final List<CountingTarget> targets = new ArrayList<>();

    @BeforeEach
    void connect() {
        barrage = new BarrageApi(port);
    }

    @AfterEach
    void stopTargets() {
        targets.forEach(CountingTarget::close);
    }

    @Test
    void aClosedRunCountsExactlyWhatTheTargetReceived() throws Exception {
        CountingTarget target = target(200, "hello, load");

        String id = barrage.start(closed(target.url(), 4, "2s"));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        JsonNode summary = run.get("summary");
        long requests = summary.get("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(target.received());
        assertThat(summary.get("successes").asLong()).isEqualTo(requests);
        assertThat(summary.get("failures").asLong()).isZero();
        assertThat(summary.get("statusCodes").get("200").asLong()).isEqualTo(requests);
        assertThat(summary.get("errors").size()).isZero();
        assertThat(summary.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(summary.get("throughput").asDouble())
                .isCloseTo(requests / summary.get("elapsedSeconds").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(summary.get("bytesReceived").asLong()).isGreaterThanOrEqualTo(requests * "hello, load".length());
        assertThat(summary.get("bytesSent").asLong()).isGreaterThan(requests * 20);
        JsonNode latency = summary.get("latencyMs");
        assertThat(latency.get("min").asDouble()).isPositive()
                .isLessThanOrEqualTo(latency.get("p50").asDouble());
        assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p90").asDouble());
        assertThat(latency.get("p90").asDouble()).isLessThanOrEqualTo(latency.get("p95").asDouble());
        assertThat(latency.get("p95").asDouble()).isLessThanOrEqualTo(latency.get("p99").asDouble());
        assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("p999").asDouble());
        assertThat(latency.get("p999").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
        assertThat(run.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(run.get("verdict").asString()).isEqualTo("NONE");
        // the only warning a run against a healthy target may get is about the machine itself (CPU steal)
        assertThat(run.get("warnings").values()).allMatch(warning -> warning.asString().startsWith("During the run the hypervisor"));
        assertThat(run.get("startedAt").asString()).isNotBlank();
        assertThat(run.get("finishedAt").asString()).isNotBlank();
        JsonNode definition = run.get("definition");
        assertThat(definition.get("request").get("timeout").asString()).isEqualTo("5s");
        assertThat(definition.get("workload").get("duration").asString()).isEqualTo("2s");

        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        long timelineRequests = 0;
        for (JsonNode point : timeline) {
            timelineRequests += point.get("requests").asLong();
        }
        assertThat(timeline.size()).isBetween(2, 4);
        assertThat(timelineRequests).isEqualTo(requests);
    }

    @Test
    void unexpectedStatusCodesAreFailuresCountedByCode() throws Exception {
        CountingTarget target = target(503, "busy");

        String id = barrage.start(closed(target.url(), 2, "1s"));
        JsonNode summary = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT).get("summary");

        long requests = summary.get("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(target.received());
        assertThat(summary.get("failures").asLong()).isEqualTo(requests);
        assertThat(summary.get("successes").asLong()).isZero();
        assertThat(summary.get("errorRate").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("statusCodes").get("503").asLong()).isEqualTo(requests);
        assertThat(summary.get("errors").size()).isZero();
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        String id = barrage.start(closed("http://127.0.0.1:" + closedPort + "/", 2, "1s"));
        JsonNode summary = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT).get("summary");

        long requests = summary.get("requests").asLong();
        assertThat(requests).isPositive();
        assertThat(summary.get("errors").get("CONNECTION_REFUSED").asLong()).isEqualTo(requests);
        assertThat(summary.get("failures").asLong()).isEqualTo(requests);
    }

    @Test
    void cancellingStopsARunAndKeepsWhatWasDone() throws Exception {
        CountingTarget target = target(200, "ok");
        String id = barrage.start(closed(target.url(), 3, "1h"));
        barrage.awaitRun(id, live -> live.get("summary").get("requests").asLong() >= 10, "at 10 requests", RUN_LIMIT);

        HttpResponse<String> cancelled = barrage.cancel(id);

        assertThat(cancelled.statusCode()).isEqualTo(202);
        JsonNode run = barrage.awaitStatus(id, "CANCELLED", Duration.ofSeconds(10));
        long requests = run.get("summary").get("requests").asLong();
        assertThat(requests).isGreaterThanOrEqualTo(10);
        // requests abandoned in flight reached the target but are not counted (a warning says how many)
        assertThat(target.received()).isBetween(requests, requests + 3);
        assertThat(run.get("warnings").get(0).asString()).contains("cancelled");
        assertThat(barrage.cancel(id).statusCode()).isEqualTo(409);
    }

    @Test
    void theRunIsListedNewestFirstAndFilteredByStatus() throws Exception {
        CountingTarget target = target(200, "ok");
        String first = barrage.start(closed(target.url(), 1, "1s"));
        String second = barrage.start(closed(target.url(), 1, "1s"));
        barrage.awaitStatus(first, "COMPLETED", RUN_LIMIT);
        barrage.awaitStatus(second, "COMPLETED", RUN_LIMIT);

        JsonNode all = barrage.getJson("/tests?status=COMPLETED&limit=1000");
        List<String> ids = new ArrayList<>();
        all.forEach(run -> ids.add(run.get("id").asString()));

        assertThat(ids).containsSubsequence(second, first);
        assertThat(all.get(0).has("definition")).isFalse();
        assertThat(barrage.getJson("/tests?status=RUNNING").size()).isZero();
        assertThat(barrage.getJson("/tests?limit=1").size()).isEqualTo(1);
    }

    @Test
    void theRunsSeriesAreInThePrometheusScrape() throws Exception {
        CountingTarget target = target(200, "ok");
        String id = barrage.start(closed(target.url(), 2, "1s"));
        JsonNode summary = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT).get("summary");

        String scrape = barrage.getOk("/actuator/prometheus");

        // the run's own series, after its end, say exactly what its summary says
        long successes = summary.get("successes").asLong();
        long failures = summary.get("failures").asLong();
        assertThat(successes).isPositive();
        assertSample(scrape, "load_tester_requests_total{status=\"success\",step=\"request\",test=\"" + id + "\"}", successes);
        assertSample(scrape, "load_tester_requests_total{status=\"error\",step=\"request\",test=\"" + id + "\"}", failures);
        assertSample(scrape, "load_tester_request_latency_seconds_count{status=\"success\",step=\"request\",test=\"" + id + "\"}", successes);
        assertSample(scrape, "load_tester_request_latency_seconds_bucket{status=\"success\",step=\"request\",test=\"" + id + "\",le=\"+Inf\"}", successes);
        assertSample(scrape, "load_tester_request_latency_seconds_count{status=\"error\",step=\"request\",test=\"" + id + "\"}", failures);
        assertSample(scrape, "load_tester_in_flight_requests{test=\"" + id + "\"}", 0);
        assertThat(scrape).containsPattern("load_tester_runs_total\\{[^}]*outcome=\"completed\"[^}]*} [1-9]");
    }

    @Test
    void healthApiDocsAndSwaggerUiAnswer() throws Exception {
        barrage.assertHealthy();
        String docs = barrage.getOk("/v3/api-docs");
        assertThat(docs).contains("\"/tests\"", "\"/tests/{id}\"", "\"/tests/{id}/cancel\"", "\"/tests/{id}/timeline\"");
        HttpResponse<String> ui = barrage.getFollowingRedirects("/swagger-ui.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
        assertThat(barrage.get("/actuator/env").statusCode()).isEqualTo(404);
    }

    /** The scrape has the sample {@code series} with the value {@code value}, to the last digit. */
    private static void assertSample(String scrape, String series, long value) {
        assertThat(scrape).containsPattern("(?m)^" + Pattern.quote(series) + " " + value + "(\\.0)?$");
    }

    private CountingTarget target(int status, String body) throws Exception {
        CountingTarget target = new CountingTarget(status, body);
        targets.add(target);
        return target;
    }
}
