package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.CarrierBacklog;
import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.HttpRequestSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warm-up's target answers as real servers do, and the engine reads every one of its answers. */
class LoopbackResponderTest {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: warm-up\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void oneConnectionGetsTheRotationThenAClosingAnswerAfterKeepAliveRequests() throws Exception {
        try (LoopbackResponder responder = LoopbackResponder.start();
             Socket socket = socketTo(responder)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            List<String> heads = new ArrayList<>();
            for (int i = 0; i < LoopbackResponder.KEEP_ALIVE_REQUESTS; i++) {
                out.write(REQUEST);
                heads.add(readResponseHead(in));
            }

            // requests 7, 23 and 39 of the first 39 get the 404
            assertThat(heads.stream().filter(head -> head.startsWith("HTTP/1.1 404 ")).count()).isEqualTo(3);
            assertThat(heads).anySatisfy(head -> assertThat(head).contains("Transfer-Encoding: chunked"));
            assertThat(heads).anySatisfy(head -> assertThat(head).contains("Content-Length: 4096"));
            assertThat(heads.subList(0, heads.size() - 1)).noneSatisfy(head -> assertThat(head).contains("Connection: close"));
            assertThat(heads.getLast()).contains("Connection: close");
            assertThat(in.read()).isEqualTo(-1); // it closed the connection after that answer
        }
    }

    @Test
    void theEnginesTransportReadsEveryShapeAndReconnectsWithoutAnError() throws Exception {
        try (LoopbackResponder responder = LoopbackResponder.start()) {
            var transport = Http1Transport.create(new HttpRequestSpec("GET", URI.create(responder.baseUrl()), Map.of(),
                    null, Duration.ofSeconds(5), true, false));
            RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
            LoadRun run = new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.ofJvm()).start(
                    ClosedWorkload.constant(2, Duration.ofMillis(500)), transport, recorder,
                    Thread.ofVirtual().name("responder-test-", 0).factory());
            run.completion().get(30, TimeUnit.SECONDS);

            Summary summary = new RunSampler(recorder).sample(run.elapsedNanos(), true).summary();
            assertThat(summary.errors()).isEmpty();
            assertThat(summary.statusCodes().keySet()).containsExactlyInAnyOrder("200", "404");
            assertThat(summary.failures()).isEqualTo(summary.statusCodes().get("404"));
            assertThat(summary.requests()).isGreaterThan(2L * LoopbackResponder.KEEP_ALIVE_REQUESTS); // some users reconnected
        }
    }

    private static Socket socketTo(LoopbackResponder responder) throws IOException {
        URI base = URI.create(responder.baseUrl());
        return new Socket(base.getHost(), base.getPort());
    }

    /** Reads one whole response (Content-Length or chunked body) and answers its head. */
    private static String readResponseHead(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        if (head.contains("Transfer-Encoding: chunked")) {
            readUntil(in, "\r\n0\r\n\r\n");
        } else {
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertThat(in.readNBytes(length)).hasSize(length);
        }
        return head;
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            assertThat(b).as("the response ended early").isNotNegative();
            read.write(b);
        }
        return read.toString(StandardCharsets.US_ASCII);
    }
}
