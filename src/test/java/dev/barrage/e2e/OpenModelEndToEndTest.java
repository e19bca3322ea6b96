package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The open model, stages and thresholds against real loopback targets, through the REST API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenModelEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);

    @LocalServerPort
    int port;

    private BarrageApi barrage;
    private final List<CountingTarget> targets = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void connect() {
        barrage = new BarrageApi(port);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        targets.forEach(CountingTarget::close);
    }

    @Test
    void anOpenRunPlansExactlyRateTimesDurationAndTheTargetReceivesWhatIsReported() throws Exception {
        CountingTarget target = target(200);

        String id = barrage.start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 500, "duration": "4s"}}"""
                .formatted(target.url()));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        JsonNode summary = run.get("summary");
        // the last hit is due 2 ms before the end: on a busy machine it may find the run over (dropped)
        long requests = summary.get("requests").asLong();
        assertThat(requests + summary.get("dropped").asLong()).isEqualTo(2000);
        assertThat(requests).isEqualTo(target.received()).isGreaterThanOrEqualTo(1990);
        assertThat(summary.get("targetRate").asDouble()).isEqualTo(500.0);
        assertThat(summary.get("serviceTimeMs").get("p50").asDouble()).isPositive();
        assertThat(summary.get("serviceTimeMs").get("p99").asDouble())
                .isLessThanOrEqualTo(summary.get("latencyMs").get("p99").asDouble());
        assertThat(run.get("definition").get("workload").get("maxConcurrency").asInt()).isEqualTo(10000);

        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        long sum = 0;
        for (JsonNode point : timeline) {
            sum += point.get("requests").asLong();
            assertThat(point.has("targetRate")).isTrue();
            assertThat(point.has("schedulerLagMs")).isTrue();
        }
        assertThat(sum).isEqualTo(requests);
        assertThat(timeline.size()).isBetween(4, 6);
        assertThat(timeline.get(1).get("targetRate").asDouble()).isCloseTo(500.0, org.assertj.core.data.Offset.offset(25.0));
    }

    @Test
    void aFrozenTargetShowsInLatencyFromTheDueTimeButNotInServiceTime() throws Exception {
        CountingTarget target = target(200);
        String id = barrage.start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 200, "duration": "3s", "maxConcurrency": 5}}"""
                .formatted(target.url()));
        awaitReceived(target, 150);
        target.freeze();
        timer.schedule(target::open, 1, TimeUnit.SECONDS);

        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        JsonNode summary = run.get("summary");
        // the backlog of the freeze is caught up before the end, or what is not is dropped: never sent late
        assertThat(summary.get("requests").asLong() + summary.get("dropped").asLong()).isEqualTo(600);
        assertThat(summary.get("requests").asLong()).isEqualTo(target.received()).isGreaterThan(500);
        assertThat(summary.get("latencyMs").get("p90").asDouble()).as("requests due during the freeze waited").isGreaterThan(300.0);
        assertThat(summary.get("serviceTimeMs").get("p90").asDouble()).as("once sent, they were answered at once").isLessThan(100.0);
        assertThat(summary.get("delayed").asLong()).isGreaterThan(100);
        assertThat(run.get("warnings").toString()).contains("started late because maxConcurrency (5)");
    }

    @Test
    void stagesRampTheRateUpAndDown() throws Exception {
        CountingTarget target = target(200);

        String id = barrage.start("""
                {"request": {"url": "%s"}, "workload": {"model": "open",
                 "stages": [{"duration": "2s", "target": 100}, {"duration": "2s", "target": 0}]}}"""
                .formatted(target.url()));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        assertThat(run.get("summary").get("requests").asLong()).isEqualTo(200).isEqualTo(target.received());
        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        assertThat(timeline.get(0).get("targetRate").asDouble()).isLessThan(timeline.get(1).get("targetRate").asDouble());
        assertThat(timeline.get(3).get("targetRate").asDouble()).isLessThan(timeline.get(2).get("targetRate").asDouble());
    }

    @Test
    void closedStagesAddAndRetireUsers() throws Exception {
        CountingTarget target = target(200);

        String id = barrage.start("""
                {"request": {"url": "%s"}, "workload": {"model": "closed",
                 "stages": [{"duration": "1s", "target": 3}, {"duration": "2s", "target": 3}, {"duration": "1s", "target": 0}]}}"""
                .formatted(target.url()));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        assertThat(run.get("summary").get("requests").asLong()).isPositive().isEqualTo(target.received());
        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        assertThat(timeline.get(1).get("inFlight").asLong()).isEqualTo(3);
    }

    @Test
    void thresholdsGiveAVerdict() throws Exception {
        CountingTarget target = target(200);

        String passing = barrage.start(withThresholds(target.url(), "\"p99 < 10s\", \"error_rate < 0.01\", \"rps >= 1\""));
        String failing = barrage.start(withThresholds(target.url(), "\"max < 1us\", \"error_rate <= 0\""));
        JsonNode passed = barrage.awaitStatus(passing, "COMPLETED", RUN_LIMIT);
        JsonNode failed = barrage.awaitStatus(failing, "COMPLETED", RUN_LIMIT);

        assertThat(passed.get("verdict").asString()).isEqualTo("PASSED");
        assertThat(passed.get("thresholds")).hasSize(3);
        assertThat(passed.get("thresholds").get(0).get("expression").asString()).isEqualTo("p99 < 10s");
        assertThat(passed.get("thresholds").get(0).get("actual").asDouble())
                .isEqualTo(passed.get("summary").get("latencyMs").get("p99").asDouble());
        assertThat(passed.get("thresholds").get(2).get("actual").asDouble())
                .isEqualTo(passed.get("summary").get("throughput").asDouble());
        assertThat(failed.get("verdict").asString()).isEqualTo("FAILED");
        assertThat(failed.get("thresholds").get(0).get("passed").asBoolean()).isFalse();
        assertThat(failed.get("thresholds").get(1).get("passed").asBoolean()).isTrue();
    }

    @Test
    void aMalformedThresholdIsA400NamingIt() throws Exception {
        HttpResponse<String> response = barrage.post("/tests", withThresholds("http://127.0.0.1:9/", "\"p99 < 250ms\", \"p42 < 1s\""));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = barrage.json(response);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("thresholds[1]");
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("p42");
    }

    private static String withThresholds(String url, String thresholds) {
        return """
                {"request": {"url": "%s"}, "workload": {"concurrency": 2, "duration": "1s"}, "thresholds": [%s]}"""
                .formatted(url, thresholds);
    }

    private static void awaitReceived(CountingTarget target, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (target.received() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private CountingTarget target(int status) throws Exception {
        CountingTarget target = new CountingTarget(status, "ok");
        targets.add(target);
        return target;
    }
}
