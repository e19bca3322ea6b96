package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The transport against scripted loopback servers: framing, connection reuse, failures, timing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Http1TransportTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    private static HttpRequestSpec get(URI url) {
        return spec("GET", url, Duration.ofSeconds(5), true);
    }

    private static HttpRequestSpec spec(String method, URI url, Duration timeout, boolean keepAlive) {
        return new HttpRequestSpec(method, url, Map.of(), null, timeout, keepAlive, false);
    }

    private static Exchange executeOnce(HttpRequestSpec spec) throws InterruptedException {
        try (TransportSession session = Http1Transport.create(spec).openSession()) {
            return session.execute();
        }
    }

    private static List<Exchange> execute(HttpRequestSpec spec, int times) throws InterruptedException {
        List<Exchange> exchanges = new ArrayList<>();
        try (TransportSession session = Http1Transport.create(spec).openSession()) {
            for (int i = 0; i < times; i++) {
                exchanges.add(session.execute());
            }
        }
        return exchanges;
    }

    private static long requestLength(HttpRequestSpec spec) {
        return RequestEncoder.encode(spec, Endpoint.of(spec.url())).length;
    }

    // ---- requests on the wire ------------------------------------------------------------------

    @Test
    void sendsTheEncodedRequestAndCountsBytesBothWays() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain");
        headers.put("X-Run", "42");
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            HttpRequestSpec spec = new HttpRequestSpec("POST", server.url("/submit?x=1&y=two"), headers,
                    "payload".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), true, false);

            Exchange exchange = executeOnce(spec);

            String expected = "POST /submit?x=1&y=two HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "X-Run: 42\r\n"
                    + "User-Agent: barrage\r\n"
                    + "Accept: */*\r\n"
                    + "Content-Length: 7\r\n"
                    + "\r\n"
                    + "payload";
            assertThat(server.takeRequest()).isEqualTo(expected);
            assertThat(exchange).isEqualTo(Exchange.response(200, expected.length(), OK.length()));
        }
    }

    @Test
    void headerInjectionAndBadTimeoutsAreRejectedAtCreation() {
        URI url = URI.create("http://127.0.0.1:1/");
        assertThatThrownBy(() -> Http1Transport.create(new HttpRequestSpec("GET", url,
                Map.of("X-Evil", "a\r\nX-Injected: b"), null, Duration.ofSeconds(1), true, false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Transport.create(spec("GET", url, Duration.ZERO, true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- response framing ----------------------------------------------------------------------

    @Test
    void zeroLengthBody() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.answering(response)) {
            assertThat(executeOnce(get(server.url("/"))).bytesReceived()).isEqualTo(response.length());
        }
    }

    @Test
    void chunkedBodyTrickledByteByByteIsReadWholeAndTheConnectionReused() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            while (peer.readRequest() != null) {
                peer.trickle(response);
            }
        })) {
            List<Exchange> exchanges = execute(get(server.url("/")), 2);

            assertThat(exchanges).extracting(Exchange::status, Exchange::bytesReceived)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(200, (long) response.length()));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void bodyWithoutLengthIsReadUntilCloseAndTheNextRequestReconnects() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "z".repeat(50_000);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(response);
        })) {
            List<Exchange> exchanges = execute(get(server.url("/")), 2);

            assertThat(exchanges).allSatisfy(exchange -> {
                assertThat(exchange.status()).isEqualTo(200);
                assertThat(exchange.bytesReceived()).isEqualTo(response.length());
            });
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "HEAD, 200 OK",
            "GET,  204 No Content",
            "GET,  304 Not Modified",
    })
    void responsesWithoutBodyLeaveTheConnectionUsable(String method, String statusLine) throws Exception {
        String response = "HTTP/1.1 " + statusLine + "\r\nContent-Length: 1000\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.answering(response)) {
            List<Exchange> exchanges = execute(spec(method, server.url("/"), Duration.ofSeconds(5), true), 3);

            assertThat(exchanges).extracting(Exchange::bytesReceived).containsOnly((long) response.length());
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void interimContinueIsSkippedAndCounted() throws Exception {
        String response = "HTTP/1.1 100 Continue\r\n\r\n" + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        try (ScriptedServer server = ScriptedServer.answering(response)) {
            Exchange exchange = executeOnce(get(server.url("/")));

            assertThat(exchange.status()).isEqualTo(201);
            assertThat(exchange.bytesReceived()).isEqualTo(response.length());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 OK\r\n\r\n",
            "HTTP/1.1 2O0 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
            "<html>not http</html>\r\n",
    })
    void malformedResponsesAreProtocolErrors(String response) throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(response)) {
            Exchange exchange = executeOnce(get(server.url("/")));

            assertThat(exchange.error()).isEqualTo(ErrorKind.PROTOCOL);
            assertThat(exchange.bytesReceived()).isPositive();
        }
    }

    @Test
    void oversizedHeadersAreProtocolErrors() throws Exception {
        String response = "HTTP/1.1 200 OK\r\n" + ("X-Filler: " + "f".repeat(1000) + "\r\n").repeat(70) + "\r\n";
        try (ScriptedServer server = ScriptedServer.answering(response)) {
            assertThat(executeOnce(get(server.url("/"))).error()).isEqualTo(ErrorKind.PROTOCOL);
        }
    }

    // ---- connection reuse ----------------------------------------------------------------------

    @Test
    void keepAliveSendsEveryRequestOverOneConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            List<Exchange> exchanges = execute(get(server.url("/")), 5);

            assertThat(exchanges).extracting(Exchange::status).containsOnly(200);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void connectionCloseFromTheServerForcesAReconnect() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        })) {
            List<Exchange> exchanges = execute(get(server.url("/")), 3);

            assertThat(exchanges).extracting(Exchange::failed).containsOnly(false);
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void http10ClosesUnlessItAsksForKeepAlive() throws Exception {
        try (ScriptedServer closing = ScriptedServer.answering("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
             ScriptedServer keeping = ScriptedServer.answering(
                     "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")) {
            execute(get(closing.url("/")), 3);
            execute(get(keeping.url("/")), 3);

            assertThat(closing.connections()).isEqualTo(3);
            assertThat(keeping.connections()).isEqualTo(1);
        }
    }

    @Test
    void keepAliveOffOpensAConnectionPerRequestAndSaysSo() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            List<Exchange> exchanges = execute(spec("GET", server.url("/"), Duration.ofSeconds(5), false), 3);

            assertThat(exchanges).extracting(Exchange::status).containsOnly(200);
            assertThat(server.connections()).isEqualTo(3);
            assertThat(server.takeRequest()).contains("\r\nConnection: close\r\n");
        }
    }

    // ---- each request is sent once -------------------------------------------------------------

    /** The first connection answers once, then does {@code toTheSecond} on reading the second request. */
    private static ScriptedServer failingTheSecondRequest(ScriptedServer.Script toTheSecond) throws IOException {
        return ScriptedServer.start(peer -> {
            if (peer.index() == 0) {
                peer.readRequest();
                peer.send(OK);
                peer.readRequest();
                toTheSecond.run(peer);
                return;
            }
            while (peer.readRequest() != null) {
                peer.send(OK);
            }
        });
    }

    @Test
    void aRequestTheServerReadsAndThenClosesOnIsConnectionClosedAndNeverSentAgain() throws Exception {
        try (ScriptedServer server = failingTheSecondRequest(Peer::close)) {
            HttpRequestSpec spec = get(server.url("/"));
            List<Exchange> exchanges = execute(spec, 3);

            assertThat(exchanges.get(1)).isEqualTo(Exchange.failure(ErrorKind.CONNECTION_CLOSED, requestLength(spec), 0));
            assertThat(exchanges.get(2)).isEqualTo(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(server.requests).hasSize(3);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aRequestTheServerReadsAndThenResetsIsConnectionResetAndNeverSentAgain() throws Exception {
        try (ScriptedServer server = failingTheSecondRequest(Peer::reset)) {
            HttpRequestSpec spec = get(server.url("/"));
            List<Exchange> exchanges = execute(spec, 3);

            assertThat(exchanges.get(1).error()).isEqualTo(ErrorKind.CONNECTION_RESET);
            assertThat(exchanges.get(2).status()).isEqualTo(200);
            assertThat(server.requests).hasSize(3);
        }
    }

    @Test
    void aPostIsNeverSentTwice() throws Exception {
        try (ScriptedServer server = failingTheSecondRequest(Peer::close)) {
            HttpRequestSpec post = new HttpRequestSpec("POST", server.url("/orders"), Map.of(),
                    "{\"qty\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), true, false);
            List<Exchange> exchanges = execute(post, 2);

            assertThat(exchanges.get(1).error()).isEqualTo(ErrorKind.CONNECTION_CLOSED);
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "closed by {0}")
    @ValueSource(strings = {"FIN", "RST"})
    void anIdleConnectionThePeerClosedIsReplacedBeforeAnythingIsWritten(String how) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            if (peer.index() == 0) {
                peer.readRequest();
                peer.send(OK);
                answered.await(); // a reset would discard the answer still unread in the client's buffer
                if (how.equals("FIN")) {
                    peer.close();
                } else {
                    peer.reset();
                }
                closed.countDown(); // an idle timeout on the server
                return;
            }
            while (peer.readRequest() != null) {
                peer.send(OK);
            }
        })) {
            HttpRequestSpec spec = get(server.url("/"));
            try (TransportSession session = Http1Transport.create(spec).probingEveryReuse().openSession()) {
                assertThat(session.execute().status()).isEqualTo(200);
                answered.countDown();
                assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();

                assertThat(session.execute()).isEqualTo(Exchange.response(200, requestLength(spec), OK.length()));
            }
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void strayBytesOnAnIdleConnectionAreChargedToTheResponseTheyFollowedNeverToTheNextRequest() throws Exception {
        CountDownLatch firstAnswered = new CountDownLatch(1);
        CountDownLatch straySent = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            if (peer.index() == 0) {
                peer.readRequest();
                peer.send(OK);
                firstAnswered.await();
                peer.send(OK); // a second answer nobody asked for
                straySent.countDown();
                peer.skipUntilClientCloses();
                return;
            }
            while (peer.readRequest() != null) {
                peer.send(OK);
            }
        })) {
            AtomicInteger strays = new AtomicInteger();
            HttpRequestSpec spec = get(server.url("/"));
            try (TransportSession session = Http1Transport.create(spec).probingEveryReuse().openSession(strays::incrementAndGet)) {
                assertThat(session.execute().status()).isEqualTo(200);
                firstAnswered.countDown();
                assertThat(straySent.await(5, TimeUnit.SECONDS)).isTrue();

                assertThat(session.execute()).isEqualTo(Exchange.response(200, requestLength(spec), OK.length()));
                assertThat(strays.get()).isEqualTo(1);
            }
            assertThat(strays.get()).isEqualTo(1);
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void strayBytesFoundWhenTheSessionClosesAreChargedToTheLastResponse() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch straySent = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK);
            answered.await();
            peer.send("late body bytes");
            straySent.countDown();
            peer.skipUntilClientCloses();
        })) {
            AtomicInteger strays = new AtomicInteger();
            TransportSession session = Http1Transport.create(get(server.url("/"))).probingEveryReuse().openSession(strays::incrementAndGet);
            assertThat(session.execute().status()).isEqualTo(200);
            answered.countDown();
            assertThat(straySent.await(5, TimeUnit.SECONDS)).isTrue();

            session.close();

            assertThat(strays.get()).isEqualTo(1);
        }
    }

    @Test
    void aSecondResponseArrivingWithTheFirstMakesItAProtocolErrorAndTheNextRequestReconnects() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            if (peer.index() == 0) {
                peer.readRequest();
                peer.send(OK + OK);
                peer.skipUntilClientCloses();
                return;
            }
            while (peer.readRequest() != null) {
                peer.send(OK);
            }
        })) {
            HttpRequestSpec spec = get(server.url("/"));
            List<Exchange> exchanges = execute(spec, 2);

            assertThat(exchanges.get(0)).isEqualTo(Exchange.failure(ErrorKind.PROTOCOL, requestLength(spec), 2L * OK.length()));
            assertThat(exchanges.get(1)).isEqualTo(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aHeadAnswerWithABodyIsAProtocolError() throws Exception {
        String headWithBody = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            while (peer.readRequest() != null) {
                peer.send(headWithBody);
            }
        })) {
            List<Exchange> exchanges = execute(spec("HEAD", server.url("/"), Duration.ofSeconds(5), true), 2);

            assertThat(exchanges).extracting(Exchange::error).containsExactly(ErrorKind.PROTOCOL, ErrorKind.PROTOCOL);
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aReusedConnectionThatDiesMidResponseIsNotRetried() throws Exception {
        String partial = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part";
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK);
            peer.readRequest();
            peer.send(partial);
        })) {
            List<Exchange> exchanges = execute(get(server.url("/")), 2);

            assertThat(exchanges.get(1).error()).isEqualTo(ErrorKind.CONNECTION_CLOSED);
            assertThat(exchanges.get(1).bytesReceived()).isEqualTo(partial.length());
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void sessionsOfOneTransportWorkConcurrently() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            Http1Transport transport = Http1Transport.create(get(server.url("/")));
            List<CompletableFuture<List<Integer>>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                CompletableFuture<List<Integer>> statuses = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try (TransportSession session = transport.openSession()) {
                        List<Integer> seen = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            seen.add(session.execute().status());
                        }
                        statuses.complete(seen);
                    } catch (Throwable t) {
                        statuses.completeExceptionally(t);
                    }
                });
                workers.add(statuses);
            }

            for (CompletableFuture<List<Integer>> worker : workers) {
                assertThat(worker.get(5, TimeUnit.SECONDS)).hasSize(50).containsOnly(200);
            }
            assertThat(server.connections()).isEqualTo(4);
        }
    }

    @Test
    void closeIsIdempotentAndTheSessionReconnectsLazily() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            TransportSession session = Http1Transport.create(get(server.url("/"))).openSession();
            session.close();
            assertThat(session.execute().status()).isEqualTo(200);
            session.close();
            session.close();
            assertThat(session.execute().status()).isEqualTo(200);
            session.close();

            assertThat(server.connections()).isEqualTo(2);
        }
    }

    // ---- failures ------------------------------------------------------------------------------

    @Test
    void earlyCloseMidBodyIsConnectionClosed() throws Exception {
        String partial = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "p".repeat(100);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(partial);
        })) {
            Exchange exchange = executeOnce(get(server.url("/")));

            assertThat(exchange.error()).isEqualTo(ErrorKind.CONNECTION_CLOSED);
            assertThat(exchange.bytesReceived()).isEqualTo(partial.length());
        }
    }

    @Test
    void freshConnectionClosedBeforeAnyByteIsConnectionClosedWithoutRetry() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Peer::readRequest)) {
            HttpRequestSpec spec = get(server.url("/"));
            Exchange exchange = executeOnce(spec);

            assertThat(exchange).isEqualTo(Exchange.failure(ErrorKind.CONNECTION_CLOSED, requestLength(spec), 0));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void silentServerTimesOutWithinTheTimeout() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.holdUntilServerCloses();
        })) {
            long start = System.nanoTime();
            Exchange exchange = executeOnce(spec("GET", server.url("/"), SHORT_TIMEOUT, true));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange.error()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(elapsed).isBetween(SHORT_TIMEOUT, SHORT_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void endlessBodyEndsAtTheDeadline() throws Exception {
        byte[] filler = new byte[8192];
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n");
            while (true) {
                peer.send(filler);
            }
        })) {
            long start = System.nanoTime();
            Exchange exchange = executeOnce(spec("GET", server.url("/"), SHORT_TIMEOUT, true));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange.error()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(exchange.bytesReceived()).isPositive();
            assertThat(elapsed).isBetween(SHORT_TIMEOUT, SHORT_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    // A blocked socket write ignores interrupts: run apart so that a regression fails, not hangs.
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requestTooLargeForAPeerThatNeverReadsTimesOut() throws Exception {
        // Loopback socket buffers absorb about 4 MiB here; the body is well beyond that.
        try (ScriptedServer server = ScriptedServer.start(Peer::holdUntilServerCloses)) {
            HttpRequestSpec spec = new HttpRequestSpec("POST", server.url("/upload"), Map.of(),
                    new byte[16 * 1024 * 1024], SHORT_TIMEOUT, true, false);

            long start = System.nanoTime();
            Exchange exchange = executeOnce(spec);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange.error()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(exchange.bytesSent()).isZero();
            assertThat(elapsed).isBetween(SHORT_TIMEOUT, SHORT_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void listenerWithAFullBacklogIsAConnectTimeout() throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket neverAccepting = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // Linux drops SYNs to a listener whose accept queue is full: fill it until a connect hangs.
            boolean full = false;
            for (int i = 0; i < 8 && !full; i++) {
                Socket socket = new Socket();
                queued.add(socket);
                try {
                    socket.connect(new InetSocketAddress("127.0.0.1", neverAccepting.getLocalPort()), 100);
                } catch (SocketTimeoutException expected) {
                    full = true;
                }
            }
            assumeTrue(full, "this kernel does not drop connections to a full backlog");

            long start = System.nanoTime();
            Exchange exchange = executeOnce(spec("GET",
                    URI.create("http://127.0.0.1:" + neverAccepting.getLocalPort() + "/"), SHORT_TIMEOUT, true));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange).isEqualTo(Exchange.failure(ErrorKind.CONNECT_TIMEOUT, 0, 0));
            assertThat(elapsed).isBetween(SHORT_TIMEOUT, SHORT_TIMEOUT.plusSeconds(2));
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        Exchange exchange = executeOnce(get(URI.create("http://127.0.0.1:" + port + "/")));

        assertThat(exchange).isEqualTo(Exchange.failure(ErrorKind.CONNECTION_REFUSED, 0, 0));
    }

    @Test
    void unresolvableHostIsUnknown() throws Exception {
        Exchange exchange = executeOnce(get(URI.create("http://no-such-host.barrage.invalid/")));

        assertThat(exchange).isEqualTo(Exchange.failure(ErrorKind.UNKNOWN_HOST, 0, 0));
    }

    // ---- interruption --------------------------------------------------------------------------

    @Test
    void interruptingABlockedExchangeThrowsPromptly() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.holdUntilServerCloses();
        })) {
            TransportSession session = Http1Transport.create(spec("GET", server.url("/"), Duration.ofSeconds(30), true))
                    .openSession();
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread worker = Thread.ofVirtual().start(() -> {
                try {
                    outcome.complete(session.execute());
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            server.takeRequest(); // the request is out: the worker is reading, or about to

            long start = System.nanoTime();
            worker.interrupt();
            Object result = outcome.get(5, TimeUnit.SECONDS);

            assertThat(result).isInstanceOf(InterruptedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            session.close();
        }
    }

    @Test
    void anInterruptedThreadDoesNotStartAnExchange() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK);
             TransportSession session = Http1Transport.create(get(server.url("/"))).openSession()) {
            Thread.currentThread().interrupt();

            assertThatThrownBy(session::execute).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("interrupt status cleared, as InterruptedException implies").isFalse();
            assertThat(server.connections()).isZero();
            assertThat(session.execute().status()).isEqualTo(200);
        }
    }
}
