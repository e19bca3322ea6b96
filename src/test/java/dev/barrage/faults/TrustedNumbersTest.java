package dev.barrage.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.Summaries;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What the summary counts is what the target received, against targets that break keep-alive,
 * answer what was not asked, never answer, or are not there; a run ends on time; the verdict waits
 * for the end; and the warnings say what happened, with numbers, and nothing that did not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"barrage.limits.max-running=1", "barrage.limits.max-duration=2s"})
class TrustedNumbersTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @LocalServerPort
    int port;

    private BarrageApi api;
    private final List<AutoCloseable> targets = new ArrayList<>();

    @BeforeEach
    void client() {
        api = new BarrageApi(port);
    }

    @AfterEach
    void stopTargets() throws Exception {
        for (AutoCloseable target : targets) {
            target.close();
        }
        api.assertHealthy();
    }

    // --- each request is sent once -------------------------------------------------------------------

    /** Answers three requests per connection, then closes (or resets) on reading the fourth. */
    private FaultServer closingOnTheFourthRequest(boolean reset, AtomicLong unanswered) throws IOException {
        return target(new FaultServer(peer -> {
            for (int answered = 0; peer.readHead(); answered++) {
                if (answered == 3) {
                    unanswered.incrementAndGet();
                    if (reset) {
                        peer.socket.setSoLinger(true, 0);
                    }
                    peer.socket.close();
                    return;
                }
                peer.send(OK);
            }
        }));
    }

    @Test
    void openModelAgainstATargetThatClosesOnTheFourthRequestCountsWhatTheTargetReceived() throws Exception {
        AtomicLong unanswered = new AtomicLong();
        FaultServer target = closingOnTheFourthRequest(false, unanswered);

        JsonNode summary = run("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 20, "duration": "2s"}}"""
                .formatted(target.url())).get("summary");

        assertThat(summary.get("requests").asLong()).isEqualTo(target.requestHeads());
        assertThat(summary.get("requests").asLong() + summary.get("dropped").asLong()).isEqualTo(40);
        assertThat(summary.get("errors").get("CONNECTION_CLOSED").asLong()).isEqualTo(unanswered.get()).isPositive();
        assertThat(summary.get("statusCodes").get("200").asLong())
                .isEqualTo(target.requestHeads() - unanswered.get());
        assertThat(summary.get("errors").size()).isEqualTo(1);
    }

    @Test
    void closedModelAgainstATargetThatResetsOnTheFourthRequestCountsWhatTheTargetReceived() throws Exception {
        AtomicLong unanswered = new AtomicLong();
        FaultServer target = closingOnTheFourthRequest(true, unanswered);

        JsonNode summary = run("""
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 2, "duration": "2s"}}"""
                .formatted(target.url())).get("summary");

        assertThat(summary.get("requests").asLong()).isEqualTo(target.requestHeads());
        assertThat(summary.get("errors").get("CONNECTION_RESET").asLong()).isEqualTo(unanswered.get()).isPositive();
        assertThat(summary.get("statusCodes").get("200").asLong()).isEqualTo(target.requestHeads() - unanswered.get());
        // every connection but each user's last one ended on its fourth request
        assertThat(target.connections()).isBetween(unanswered.get(), unanswered.get() + 2);
    }

    // --- bytes nobody asked for -------------------------------------------------------------------------

    @Test
    void aSecondUnrequestedResponseIsAProtocolErrorOfTheRequestItFollowedNeverOfTheNext() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send(OK + OK);
            }
        }));

        JsonNode summary = run("""
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 2, "duration": "1s"}}"""
                .formatted(target.url())).get("summary");

        assertAllProtocolErrors(summary, target);
    }

    @Test
    void aSecondResponseArrivingWhileTheConnectionIsIdleIsChargedToTheResponseItFollowed() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send(OK);
                Thread.sleep(20);
                peer.send(OK);
            }
        }));

        JsonNode summary = run("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 10, "duration": "1s", "maxConcurrency": 1}}"""
                .formatted(target.url())).get("summary");

        assertAllProtocolErrors(summary, target);
        assertThat(summary.get("requests").asLong()).isEqualTo(10);
    }

    @Test
    void aHeadAnswerWithABodyIsAProtocolError() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            }
        }));

        JsonNode summary = run("""
                {"request": {"url": "%s", "method": "HEAD"}, "workload": {"model": "closed", "concurrency": 2, "duration": "1s"}}"""
                .formatted(target.url())).get("summary");

        assertAllProtocolErrors(summary, target);
    }

    private static void assertAllProtocolErrors(JsonNode summary, FaultServer target) {
        long requests = summary.get("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(target.requestHeads());
        assertThat(summary.get("errors").get("PROTOCOL").asLong()).as("%s", summary).isEqualTo(requests);
        assertThat(summary.get("successes").asLong()).isZero();
        assertThat(summary.get("statusCodes").size()).as("%s", summary).isZero();
    }

    // --- a run ends on time ------------------------------------------------------------------------------

    @Test
    void aTargetThatNeverAnswersCannotStretchARunBeyondItsDurationPlusOneTimeout() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.awaitClientClose();
            }
        }));
        Instant posted = Instant.now();

        JsonNode run = run("""
                {"request": {"url": "%s", "timeout": "1s"},
                 "workload": {"model": "open", "rate": 10, "duration": "2s", "maxConcurrency": 1}}"""
                .formatted(target.url()));

        JsonNode summary = run.get("summary");
        Duration wall = Duration.between(Instant.parse(run.get("startedAt").asString()),
                Instant.parse(run.get("finishedAt").asString()));
        assertThat(wall).isLessThan(Duration.ofMillis(3500)); // 2 s + one 1 s timeout + sampling slack
        assertThat(Duration.between(posted, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(summary.get("requests").asLong()).isEqualTo(target.requestHeads()).isEqualTo(2);
        assertThat(summary.get("requests").asLong() + summary.get("dropped").asLong()).isEqualTo(20);
        assertThat(summary.get("errors").get("TIMEOUT").asLong()).isEqualTo(summary.get("requests").asLong());
        assertThat(warnings(run)).anyMatch(w -> w.contains("were not sent (dropped)") && w.contains("maxConcurrency (1)"));
    }

    // --- the verdict waits for the end -------------------------------------------------------------------

    @Test
    void theVerdictIsPendingUntilTheRunEndsAndThresholdsShowNothingBeforeARequestEnded() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                Thread.sleep(600);
                peer.send(OK);
            }
        }));

        var answer = api.post("/tests", """
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 1, "duration": "1s"},
                 "thresholds": ["p99 < 5s", "error_rate < 0.01"]}""".formatted(target.url()));
        assertThat(answer.statusCode()).isEqualTo(202);
        JsonNode posted = api.json(answer.body());
        String id = posted.get("id").asString();
        JsonNode early = api.json(api.get("/tests/" + id).body());

        for (JsonNode run : List.of(posted, early)) {
            assertThat(run.get("verdict").asString()).isEqualTo("PENDING");
            for (JsonNode threshold : run.get("thresholds")) {
                assertThat(threshold.get("actual").isNull()).as("%s", run).isTrue();
                assertThat(threshold.get("passed").isNull()).as("%s", run).isTrue();
            }
        }
        JsonNode finished = api.awaitEnd(id, Duration.ofSeconds(15));
        assertThat(finished.get("verdict").asString()).isEqualTo("PASSED");
        assertThat(finished.get("thresholds").get(0).get("passed").asBoolean()).isTrue();
        assertThat(finished.get("thresholds").get(0).get("actual").asDouble()).isGreaterThan(500.0);
    }

    // --- warnings say what happened, and only that --------------------------------------------------------

    @Test
    void everyRequestRefusedWarnsAndAsksWhetherTheTargetIsUp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        JsonNode run = run("""
                {"request": {"url": "http://127.0.0.1:%d/"}, "workload": {"model": "closed", "concurrency": 2, "duration": "1s"}}"""
                .formatted(closedPort));

        long requests = run.get("summary").get("requests").asLong();
        assertThat(run.get("summary").get("errors").get("CONNECTION_REFUSED").asLong()).isEqualTo(requests).isPositive();
        assertThat(warnings(run)).anyMatch(w -> w.contains("(100.0%) failed")
                && w.contains("CONNECTION_REFUSED × " + requests)
                && w.contains("is the target up and listening at 127.0.0.1:" + closedPort));
    }

    @Test
    void everyRequestAnswered404WarnsNamingTheStatus() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            }
        }));

        JsonNode run = run("""
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 2, "duration": "1s"}}"""
                .formatted(target.url()));

        long requests = run.get("summary").get("requests").asLong();
        assertThat(requests).isEqualTo(target.requestHeads());
        assertThat(warnings(run)).anyMatch(w -> w.contains("status 404 × " + requests)
                && w.contains("outside expectedStatus [200, 399]"));
    }

    @Test
    void aSlowTargetThatKeepsUpGetsNoWarningAboutRequestsStartingLateButOneAboutTheWaitAfterTheDuration() throws Exception {
        FaultServer target = target(new FaultServer(peer -> {
            while (peer.readHead()) {
                Thread.sleep(300);
                peer.send(OK);
            }
        }));

        JsonNode run = run("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 33, "duration": "2s"}}"""
                .formatted(target.url()));

        JsonNode summary = run.get("summary");
        assertThat(summary.get("requests").asLong()).isEqualTo(66).isEqualTo(target.requestHeads());
        assertThat(summary.get("dropped").asLong()).isZero();
        assertThat(summary.get("delayed").asLong()).isZero();
        List<String> warnings = warnings(run);
        // the warning this target once got ("took 2.271 s ... because requests could not start on time") is gone;
        // a new worker's first request waits for its connect, which is only worth a warning beyond 10 ms
        assertThat(warnings).noneMatch(w -> w.contains("could not start") || w.contains("dropped")
                || w.contains("maxConcurrency") || w.contains("failed"));
        assertThat(warnings).anyMatch(w -> w.contains("still in flight when the duration ended"));
        double worstLag = 0;
        for (JsonNode point : api.json(api.get("/tests/" + run.get("id").asString() + "/timeline").body())) {
            worstLag = Math.max(worstLag, point.get("schedulerLagMs").asDouble());
        }
        boolean lagWarned = warnings.stream().anyMatch(w -> w.contains("fell behind"));
        assertThat(lagWarned).as("lag warning iff the worst lag is over 10 ms (%s ms): %s", worstLag, warnings)
                .isEqualTo(worstLag > 10);
    }

    @Test
    void hitsWaitingForConnectionsToATargetSlowToAcceptAreCountedAndNamedAsSuch() throws Exception {
        SlowAcceptingTarget target = target(new SlowAcceptingTarget());

        JsonNode run = run("""
                {"request": {"url": "%s", "timeout": "2s"}, "workload": {"model": "open", "rate": 40, "duration": "2s"}}"""
                .formatted(target.url()));

        JsonNode summary = run.get("summary");
        assertThat(summary.get("connectDelayed").asLong()).as("%s", summary).isPositive();
        assertThat(summary.get("delayed").asLong()).isZero();
        assertThat(summary.get("requests").asLong() + summary.get("dropped").asLong()).isEqualTo(80);
        assertThat(warnings(run)).anyMatch(w -> w.contains("waited for a new connection to the target"));
        // every request whose connection was set up reached the target, even those that timed out
        // waiting in its accept queue; those that never connected did not
        long connected = summary.get("requests").asLong() - summary.get("errors").path("CONNECT_TIMEOUT").asLong(0)
                - summary.get("errors").path("CONNECTION_REFUSED").asLong(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (target.heads.get() < connected && System.nanoTime() < deadline) {
            Thread.sleep(50); // the target still works through its accept queue, one connection per 100 ms
        }
        assertThat(target.heads.get()).as("%s", summary).isEqualTo(connected);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private <T extends AutoCloseable> T target(T target) {
        targets.add(target);
        return target;
    }

    private JsonNode run(String definition) throws Exception {
        String id = api.start(definition);
        JsonNode run = api.awaitEnd(id, Duration.ofSeconds(20));
        assertThat(run.get("status").asString()).as("%s", run).isEqualTo("COMPLETED");
        Summaries.assertCountsAddUp(run.get("summary"));
        return run;
    }

    private static List<String> warnings(JsonNode run) {
        List<String> warnings = new ArrayList<>();
        run.get("warnings").forEach(warning -> warnings.add(warning.asString()));
        return warnings;
    }

    /**
     * An HTTP/1.0 target that closes every connection and accepts one connection every 100 ms, with
     * a backlog of 1, like a small single-threaded server: connects queue and are retried by the
     * kernel, so new connections take long to set up.
     */
    private static final class SlowAcceptingTarget implements AutoCloseable {

        final AtomicLong heads = new AtomicLong();
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        private final Thread acceptor = Thread.ofPlatform().daemon().start(this::serve);

        SlowAcceptingTarget() throws IOException {
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    byte[] head = new byte[4096];
                    if (socket.getInputStream().read(head) > 0) {
                        heads.incrementAndGet();
                        socket.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                    }
                } catch (IOException e) {
                    // the client gave up on this connection (timeout) or the target is closing
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/slow";
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
        }
    }
}
