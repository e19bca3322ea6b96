package dev.barrage.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.Summaries;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Barrage against targets that misbehave at the TCP and HTTP level: each run must complete (never
 * hang, never FAILED), count every request exactly once, file each failure under the right error
 * kind, keep every exchange within its timeout, and keep the heap flat however many bytes arrive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "barrage.limits.max-running=4")
class FaultyTargetsTest {

    private static final int USERS = 2;
    private static final String DURATION = "1s";
    /**
     * A timeout must end each request near its deadline, not when the run ends; on a shared 2-core
     * machine (a fault server streaming gigabytes in the same JVM) "near" is a ratio, not a few ms.
     */
    private static final double TIMEOUT_SLACK_FACTOR = 2.5;
    private static final long HEAP_GROWTH_LIMIT = 64L * 1024 * 1024;

    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";

    @LocalServerPort
    int port;

    private BarrageApi api;
    private FaultServer target;

    @BeforeEach
    void client() {
        api = new BarrageApi(port);
    }

    @AfterEach
    void stopTargetAndCheckHealth() throws Exception {
        if (target != null) {
            target.close();
        }
        api.assertHealthy();
    }

    // --- protocol garbage -------------------------------------------------------------------------

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                Arguments.of("a text line that is not HTTP", "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n"),
                Arguments.of("an invalid chunk size", OK_HEAD + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a chunk size that overflows a long",
                        OK_HEAD + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAnswers")
    void aMalformedAnswerToEveryRequestIsAProtocolError(String fault, String answer) throws Exception {
        target = new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send(answer);
            }
        });
        JsonNode summary = completedRun(target, 400);
        assertAllFailedAs(summary, "PROTOCOL");
    }

    @Test
    void aTargetThatAnswersWithBinaryNoiseWithoutLineBreaksIsAProtocolError() throws Exception {
        byte[] noise = new byte[100 * 1024];
        new SplittableRandom(7).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == '\n') {
                noise[i] = 'x';
            }
        }
        target = new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.send(noise); // longer than any response head may be
            }
        });
        JsonNode summary = completedRun(target, 400);
        assertAllFailedAs(summary, "PROTOCOL");
    }

    @Test
    void endlessHeaderLinesAreAProtocolErrorOnceTheHeadIsTooLarge() throws Exception {
        byte[] headers = "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(200)
                .getBytes(StandardCharsets.US_ASCII);
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                peer.send(OK_HEAD);
                while (true) {
                    peer.send(headers); // until Barrage gives up and closes
                }
            }
        });
        JsonNode summary = completedRun(target, 400);
        assertAllFailedAs(summary, "PROTOCOL");
    }

    // --- connections that go away -----------------------------------------------------------------

    @Test
    void aTargetThatResetsTheConnectionIsAConnectionReset() throws Exception {
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                peer.socket.setSoLinger(true, 0);
                peer.socket.close(); // RST instead of FIN
            }
        });
        JsonNode summary = completedRun(target, 400);
        assertAllFailedAs(summary, "CONNECTION_RESET");
    }

    static Stream<Arguments> truncatedAnswers() {
        return Stream.of(
                Arguments.of("inside the headers", "HTTP/1.1 200 OK\r\nContent-Type: text/pl"),
                Arguments.of("halfway through a Content-Length body", OK_HEAD + "Content-Length: 1000\r\n\r\n" + "x".repeat(500)),
                Arguments.of("halfway through a chunked body", OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n400\r\n" + "x".repeat(200)));
    }

    @ParameterizedTest(name = "closing {0}")
    @MethodSource("truncatedAnswers")
    void aTargetThatClosesMidResponseIsConnectionClosed(String where, String truncatedAnswer) throws Exception {
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                peer.send(truncatedAnswer);
            }
        });
        JsonNode summary = completedRun(target, 400);
        assertAllFailedAs(summary, "CONNECTION_CLOSED");
    }

    // --- targets that are too slow ----------------------------------------------------------------

    @Test
    void aTargetThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        target = new FaultServer(peer -> {
            while (peer.readHead()) {
                // read the request, answer nothing, wait for the next (or for the close)
            }
        });
        int timeoutMs = 300;
        JsonNode summary = completedRun(target, timeoutMs);
        assertAllFailedAs(summary, "TIMEOUT");
        assertEachEndedWithin(summary, timeoutMs);
    }

    @Test
    void aSlowDripOfOneByteEvery100msTimesOut() throws Exception {
        byte[] response = (OK_HEAD + "Content-Length: 20\r\n\r\n" + "y".repeat(20)).getBytes(StandardCharsets.US_ASCII);
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                for (byte b : response) {
                    peer.send(new byte[] {b});
                    Thread.sleep(100); // the target's fault, not the test's timing
                }
            }
        });
        int timeoutMs = 300;
        JsonNode summary = completedRun(target, timeoutMs);
        assertAllFailedAs(summary, "TIMEOUT");
        assertEachEndedWithin(summary, timeoutMs);
    }

    @Test
    void endlessInterimResponsesTimeOut() throws Exception {
        byte[] interim = "HTTP/1.1 102 Processing\r\n\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                while (true) {
                    peer.send(interim);
                }
            }
        });
        int timeoutMs = 400;
        long heapBefore = usedHeapAfterGc();
        JsonNode summary = completedRun(target, timeoutMs);
        long heapAfter = usedHeapAfterGc();
        assertAllFailedAs(summary, "TIMEOUT");
        assertEachEndedWithin(summary, timeoutMs);
        assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(HEAP_GROWTH_LIMIT);
    }

    @Test
    void anEndlessBodyWithoutFramingTimesOutAndTheHeapStaysFlat() throws Exception {
        endlessBody(OK_HEAD + "Content-Type: application/octet-stream\r\n\r\n", false);
    }

    @Test
    void anEndlessChunkedBodyTimesOutAndTheHeapStaysFlat() throws Exception {
        endlessBody(OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n", true);
    }

    @Test
    void anEndlessBodyBehindAnAbsurdContentLengthTimesOutAndTheHeapStaysFlat() throws Exception {
        endlessBody(OK_HEAD + "Content-Length: 999999999999999999\r\n\r\n", false);
    }

    private void endlessBody(String head, boolean chunked) throws Exception {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'z');
        byte[] chunk = chunked ? chunkOf(block) : block;
        target = new FaultServer(peer -> {
            if (peer.readHead()) {
                peer.send(head);
                while (true) {
                    peer.out.write(chunk); // until Barrage closes the connection
                }
            }
        });
        int timeoutMs = 400;
        long heapBefore = usedHeapAfterGc();
        JsonNode summary = completedRun(target, timeoutMs);
        long heapAfter = usedHeapAfterGc();

        assertAllFailedAs(summary, "TIMEOUT");
        assertEachEndedWithin(summary, timeoutMs);
        assertThat(summary.get("bytesReceived").asLong()).as("bytes streamed into Barrage")
                .isGreaterThan(8L * 1024 * 1024);
        assertThat(heapAfter - heapBefore).as("heap growth in bytes after streaming %d bytes",
                summary.get("bytesReceived").asLong()).isLessThan(HEAP_GROWTH_LIMIT);
    }

    // --- big but valid ----------------------------------------------------------------------------

    @Test
    void aHugeContentLengthBodyIsReadDiscardedAndCountedAsSuccess() throws Exception {
        int megabytes = 50;
        byte[] megabyte = new byte[1024 * 1024];
        Arrays.fill(megabyte, (byte) 'b');
        target = new FaultServer(peer -> {
            while (peer.readHead()) {
                peer.out.write((OK_HEAD + "Content-Length: " + (long) megabytes * megabyte.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < megabytes; i++) {
                    peer.out.write(megabyte);
                }
                peer.out.flush();
            }
        });
        long heapBefore = usedHeapAfterGc();
        JsonNode summary = completedRun(target, 5000);
        long heapAfter = usedHeapAfterGc();

        long requests = summary.get("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(target.requestHeads());
        assertThat(summary.get("successes").asLong()).as(summary.toString()).isEqualTo(requests);
        assertThat(summary.get("failures").asLong()).isZero();
        assertThat(summary.get("errors").size()).as(summary.toString()).isZero();
        assertThat(summary.get("statusCodes").get("200").asLong()).isEqualTo(requests);
        assertThat(summary.get("bytesReceived").asLong())
                .isGreaterThanOrEqualTo(requests * megabytes * (long) megabyte.length);
        assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(HEAP_GROWTH_LIMIT);
        assertThat(target.connections()).as("keep-alive: one connection per user").isLessThanOrEqualTo(USERS);
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** A short closed run against the target; asserts it COMPLETED and answers its summary. */
    private JsonNode completedRun(FaultServer server, int timeoutMs) throws Exception {
        String id = api.start("""
                {"name": "fault", "request": {"url": "%s", "timeout": "%dms"},
                 "workload": {"model": "closed", "concurrency": %d, "duration": "%s"}}"""
                .formatted(server.url(), timeoutMs, USERS, DURATION));
        JsonNode run = api.awaitEnd(id, Duration.ofSeconds(15).plusMillis(timeoutMs));
        assertThat(run.get("status").asString()).as("run %s", run).isEqualTo("COMPLETED");
        JsonNode summary = run.get("summary");
        long requests = summary.get("requests").asLong();
        assertThat(requests).as("requests > 0: %s", summary).isPositive();
        Summaries.assertCountsAddUp(summary);
        // The duration is 1s; in-flight requests are awaited at most their timeout.
        assertThat(summary.get("elapsedSeconds").asDouble()).as("elapsedSeconds: %s", summary)
                .isLessThan(1.0 + timeoutMs / 1000.0 + 2.0);
        return summary;
    }

    /** Every request failed, all of the one expected kind, and the target saw each one. */
    private void assertAllFailedAs(JsonNode summary, String kind) {
        long requests = summary.get("requests").asLong();
        assertThat(summary.get("successes").asLong()).as("successes: %s", summary).isZero();
        assertThat(summary.get("failures").asLong()).as("failures: %s", summary).isEqualTo(requests);
        assertThat(summary.get("errors").propertyNames()).as("error kinds: %s", summary).containsExactly(kind);
        assertThat(summary.get("errors").get(kind).asLong()).as("%s count: %s", kind, summary).isEqualTo(requests);
        assertThat(summary.get("statusCodes").size()).as("statusCodes: %s", summary).isZero();
        assertThat(requests).as("requests counted by Barrage vs request heads the target read: %s", summary)
                .isEqualTo(target.requestHeads());
    }

    private static void assertEachEndedWithin(JsonNode summary, int timeoutMs) {
        assertThat(summary.get("latencyMs").get("max").asDouble()).as("latencyMs.max: %s", summary)
                .isLessThanOrEqualTo(timeoutMs * TIMEOUT_SLACK_FACTOR);
        assertThat(summary.get("latencyMs").get("min").asDouble()).as("latencyMs.min: %s", summary)
                .isGreaterThanOrEqualTo(timeoutMs * 0.9);
    }

    private static byte[] chunkOf(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, chunk, 0, head.length);
        System.arraycopy(data, 0, chunk, head.length, data.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
