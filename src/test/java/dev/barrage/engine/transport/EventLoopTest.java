package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The event loop's sessions against raw loopback servers: the same outcomes, byte counts and
 * connection use as the blocking {@link Http1Session} for each way an exchange can go.
 */
class EventLoopTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** Sends {@code requests} requests, then ends; records what the loop tells it. */
    private static final class CountingUser implements LoopUser {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger strayBytes = new AtomicInteger();
        final CountDownLatch firstSent = new CountDownLatch(1);
        private final int requests;
        private final long lingerBeforeEndMillis;
        private int sent;

        CountingUser(int requests) {
            this(requests, 0);
        }

        CountingUser(int requests, long lingerBeforeEndMillis) {
            this.requests = requests;
            this.lingerBeforeEndMillis = lingerBeforeEndMillis;
        }

        @Override
        public Next nextRequest() {
            if (sent == requests) {
                if (lingerBeforeEndMillis > 0) {
                    sleep(lingerBeforeEndMillis); // lets late bytes arrive before the last look at the idle connection
                }
                return Next.END;
            }
            sent++;
            firstSent.countDown();
            return Next.SEND;
        }

        @Override
        public void exchangeEnded(int status, ErrorKind error, long bytesSent, long bytesReceived) {
            exchanges.add(new Exchange(status, error, bytesSent, bytesReceived));
        }

        @Override
        public void exchangeAbandoned() {
            abandoned.incrementAndGet();
        }

        @Override
        public void lastResponseFollowedByStrayBytes() {
            strayBytes.incrementAndGet();
        }
    }

    /**
     * Sends one request, waits until its driver resumes it, then sends the rest; the driver resumes it
     * {@code waitMillis} after it began to wait, and finishes the loop once the user has ended.
     */
    private static final class WaitingUser implements LoopUser, LoopDriver {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        final AtomicInteger strayBytes = new AtomicInteger();
        private final int requests;
        private final long waitNanos;
        private EventLoop loop;
        private LoopHandle handle;
        private int sent;
        private long resumeAt = Long.MAX_VALUE;
        private boolean ended;

        WaitingUser(int requests, long waitMillis) {
            this.requests = requests;
            this.waitNanos = waitMillis * 1_000_000;
        }

        @Override
        public Next nextRequest() {
            if (sent == requests) {
                ended = true;
                return Next.END;
            }
            if (sent == 1 && resumeAt == Long.MAX_VALUE) {
                resumeAt = System.nanoTime() + waitNanos;
                return Next.WAIT;
            }
            sent++;
            return Next.SEND;
        }

        @Override
        public long nanosUntilNextTurn() {
            return resumeAt == Long.MAX_VALUE || resumeAt == Long.MIN_VALUE ? Long.MAX_VALUE : resumeAt - System.nanoTime();
        }

        @Override
        public void turn() {
            if (resumeAt != Long.MAX_VALUE && resumeAt != Long.MIN_VALUE && System.nanoTime() - resumeAt >= 0) {
                resumeAt = Long.MIN_VALUE;
                handle.resume();
            }
            if (ended) {
                loop.finish();
            }
        }

        @Override
        public void exchangeEnded(int status, ErrorKind error, long bytesSent, long bytesReceived) {
            exchanges.add(new Exchange(status, error, bytesSent, bytesReceived));
        }

        @Override
        public void exchangeAbandoned() {
            throw new AssertionError("nothing is cancelled here");
        }

        @Override
        public void lastResponseFollowedByStrayBytes() {
            strayBytes.incrementAndGet();
        }

        void runToEnd(Http1Transport transport) throws InterruptedException {
            loop = new EventLoop(transport, this);
            handle = loop.add(this);
            Thread thread = Thread.ofPlatform().start(loop);
            assertThat(thread.join(Duration.ofSeconds(20))).as("the loop ends once its user has").isTrue();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequestSpec spec(String method, URI url, Duration timeout, boolean keepAlive, byte[] body) {
        return new HttpRequestSpec(method, url, Map.of(), body, timeout, keepAlive, false);
    }

    private static HttpRequestSpec get(URI url) {
        return spec("GET", url, Duration.ofSeconds(5), true, null);
    }

    /** Runs the users on one loop to the end and returns the loop's thread, ended. */
    private static Thread runToEnd(Http1Transport transport, LoopUser... users) throws InterruptedException {
        EventLoop loop = new EventLoop(transport);
        for (LoopUser user : users) {
            loop.add(user);
        }
        loop.finish();
        Thread thread = Thread.ofPlatform().start(loop);
        assertThat(thread.join(Duration.ofSeconds(20))).as("the loop ends once its users have").isTrue();
        return thread;
    }

    private static void awaitConnections(ScriptedServer server, int count) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections() < count && System.nanoTime() < giveUp) {
            Thread.sleep(1);
        }
        assertThat(server.connections()).isEqualTo(count);
    }

    private static long requestLength(HttpRequestSpec spec) {
        return RequestEncoder.encode(spec, Endpoint.of(spec.url())).length;
    }

    @Test
    void keepAliveUsersSendBackToBackOverOneConnectionEach() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            HttpRequestSpec spec = get(server.url("/hello"));
            CountingUser first = new CountingUser(200);
            CountingUser second = new CountingUser(150);

            runToEnd(Http1Transport.create(spec), first, second);

            assertThat(first.exchanges).hasSize(200).containsOnly(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(second.exchanges).hasSize(150).containsOnly(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(server.requests).hasSize(350);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(first.strayBytes.get() + second.strayBytes.get()).isZero();
        }
    }

    @Test
    void aConnectionOpenedAheadIsOpenBeforeTheLoopRunsAndCarriesItsUsersRequests() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            HttpRequestSpec spec = get(server.url("/ahead"));
            EventLoop loop = new EventLoop(Http1Transport.create(spec));
            CountingUser first = new CountingUser(3);
            CountingUser second = new CountingUser(2);

            LoopHandle[] handles = loop.addConnected(new LoopUser[] {first, second}, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            assertThat(handles).doesNotContainNull();
            awaitConnections(server, 2);
            assertThat(server.requests).as("opened, nothing sent").isEmpty();
            loop.finish();
            Thread thread = Thread.ofPlatform().start(loop);

            assertThat(thread.join(Duration.ofSeconds(20))).isTrue();
            assertThat(first.exchanges).hasSize(3).containsOnly(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(second.exchanges).hasSize(2).containsOnly(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(server.requests).hasSize(5);
            assertThat(server.connections()).as("the requests went over the connections opened ahead").isEqualTo(2);
        }
    }

    @Test
    void aConnectionThatCannotBeOpenedAheadAddsNoUserAndCountsNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        CountingUser refused = new CountingUser(1);
        EventLoop refusing = new EventLoop(Http1Transport.create(get(URI.create("http://127.0.0.1:" + closedPort + "/"))));
        assertThat(refusing.addConnected(new LoopUser[] {refused}, deadline)).as("refused").containsOnlyNulls();

        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            CountingUser forbidden = new CountingUser(1);
            EventLoop policed = new EventLoop(Http1Transport.create(get(server.url("/")), (host, address) -> false));
            assertThat(policed.addConnected(new LoopUser[] {forbidden}, deadline)).as("not allowed").containsOnlyNulls();

            for (EventLoop loop : List.of(refusing, policed)) {
                loop.finish();
                Thread thread = Thread.ofPlatform().start(loop);
                assertThat(thread.join(Duration.ofSeconds(20))).as("a loop with no user ends at once").isTrue();
            }
            assertThat(server.connections()).isZero();
            assertThat(forbidden.exchanges).isEmpty();
        }
        assertThat(refused.exchanges).isEmpty();
    }

    @Test
    void aConnectStillUnderWayAtTheDeadlineIsGivenUp() throws Exception {
        // a listener that never accepts, its queue filled: Linux drops further handshakes, so a connect waits
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> queued = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    queued.add(new Socket(full.getInetAddress(), full.getLocalPort()));
                }
                EventLoop loop = new EventLoop(Http1Transport.create(get(URI.create("http://127.0.0.1:" + full.getLocalPort() + "/"))));
                CountingUser user = new CountingUser(1);
                long start = System.nanoTime();

                LoopHandle[] handles = loop.addConnected(new LoopUser[] {user}, start + TimeUnit.MILLISECONDS.toNanos(200));

                assertThat(handles).containsOnlyNulls();
                assertThat(System.nanoTime() - start).as("it waited for the deadline, and no longer")
                        .isBetween(TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.SECONDS.toNanos(5));
                loop.finish();
                Thread thread = Thread.ofPlatform().start(loop);
                assertThat(thread.join(Duration.ofSeconds(20))).as("no user: the loop ends at once").isTrue();
                assertThat(user.exchanges).isEmpty();
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void withoutKeepAliveEachRequestHasItsOwnConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK);
            ScriptedServer.drainQuietly(peer);
        })) {
            CountingUser user = new CountingUser(5);

            runToEnd(Http1Transport.create(spec("GET", server.url("/"), Duration.ofSeconds(5), false, null)), user);

            assertThat(user.exchanges).extracting(Exchange::status).containsExactly(200, 200, 200, 200, 200);
            assertThat(server.connections()).isEqualTo(5);
        }
    }

    @Test
    void aResponseTrickledAByteAtATimeIsParsedAsItArrives() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            while (peer.readRequest() != null) {
                peer.trickle(chunked);
            }
        })) {
            CountingUser user = new CountingUser(3);

            runToEnd(Http1Transport.create(get(server.url("/"))), user);

            assertThat(user.exchanges).extracting(Exchange::status, Exchange::bytesReceived)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(200, (long) chunked.length()));
            assertThat(user.exchanges).hasSize(3);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aResponseThatNeverComesTimesOutAtItsDeadlineAndTheNextRequestConnectsAnew() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            if (peer.index() == 0) {
                peer.holdUntilServerCloses();
            } else {
                peer.send(OK);
                ScriptedServer.drainQuietly(peer);
            }
        })) {
            CountingUser user = new CountingUser(2);
            long start = System.nanoTime();

            runToEnd(Http1Transport.create(spec("GET", server.url("/"), Duration.ofMillis(300), true, null)), user);

            assertThat(user.exchanges).extracting(Exchange::error).containsExactly(ErrorKind.TIMEOUT, null);
            assertThat(user.exchanges.get(1).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aRefusedConnectFailsEachRequestWithoutSpinningTheLoop() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        CountingUser refused = new CountingUser(3);

        runToEnd(Http1Transport.create(get(URI.create("http://127.0.0.1:" + closedPort + "/"))), refused);

        assertThat(refused.exchanges).extracting(Exchange::error).containsOnly(ErrorKind.CONNECTION_REFUSED).hasSize(3);
        assertThat(refused.exchanges).extracting(Exchange::bytesSent).containsOnly(0L);
    }

    @Test
    void aTargetThePolicyForbidsIsNeverConnectedTo() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            CountingUser user = new CountingUser(2);

            runToEnd(Http1Transport.create(get(server.url("/")), (host, address) -> false), user);

            assertThat(user.exchanges).extracting(Exchange::error).containsExactly(ErrorKind.TARGET_NOT_ALLOWED,
                    ErrorKind.TARGET_NOT_ALLOWED);
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    void connectionsClosedOrResetMidResponseFailTheRequest() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
            if (peer.index() == 0) {
                peer.close();
            } else {
                peer.reset();
            }
        })) {
            CountingUser user = new CountingUser(2);

            runToEnd(Http1Transport.create(get(server.url("/"))), user);

            assertThat(user.exchanges).extracting(Exchange::error)
                    .containsExactly(ErrorKind.CONNECTION_CLOSED, ErrorKind.CONNECTION_RESET);
        }
    }

    @Test
    void garbageIsAProtocolErrorAndBytesWithTheResponseBeyondItsEndToo() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(peer.index() == 0 ? "SSH-2.0-OpenSSH_9.6\r\n" : OK + "EXTRA");
            ScriptedServer.drainQuietly(peer);
        })) {
            CountingUser user = new CountingUser(2);

            runToEnd(Http1Transport.create(get(server.url("/"))), user);

            assertThat(user.exchanges).extracting(Exchange::error).containsExactly(ErrorKind.PROTOCOL, ErrorKind.PROTOCOL);
        }
    }

    @Test
    void bytesNobodyAskedForAfterTheLastResponseAreChargedToItWhenTheSessionEnds() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK);
            Thread.sleep(20);
            peer.send("HTTP/1.1 200 OK\r\n");
            ScriptedServer.drainQuietly(peer);
        })) {
            CountingUser user = new CountingUser(1, 300);

            runToEnd(Http1Transport.create(get(server.url("/"))), user);

            assertThat(user.exchanges).extracting(Exchange::status).containsExactly(200);
            assertThat(user.strayBytes.get()).isEqualTo(1);
        }
    }

    @Test
    void aWaitingSessionKeepsItsConnectionAndSendsAgainWhenResumed() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(OK)) {
            WaitingUser user = new WaitingUser(3, 50);
            long started = System.nanoTime();

            user.runToEnd(Http1Transport.create(get(server.url("/"))));

            assertThat(user.exchanges).extracting(Exchange::status).containsExactly(200, 200, 200);
            assertThat(server.requests).hasSize(3);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(System.nanoTime() - started).as("it waited to be resumed").isGreaterThanOrEqualTo(50_000_000L);
        }
    }

    @Test
    void aConnectionThePeerClosesWhileItsSessionWaitsIsReplacedWithoutAFailure() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK); // then hangs up: an idle timeout
        })) {
            WaitingUser user = new WaitingUser(2, 100);

            user.runToEnd(Http1Transport.create(get(server.url("/"))));

            assertThat(user.exchanges).extracting(Exchange::status).containsExactly(200, 200);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(user.strayBytes.get()).isZero();
        }
    }

    @Test
    void bytesNobodyAskedForWhileASessionWaitsAreChargedToTheLastResponseAndTheConnectionReplaced() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            peer.send(OK);
            if (peer.index() == 0) {
                Thread.sleep(20);
                peer.send("HTTP/1.1 200 OK\r\n");
            }
            ScriptedServer.drainQuietly(peer);
        })) {
            WaitingUser user = new WaitingUser(2, 150);

            user.runToEnd(Http1Transport.create(get(server.url("/"))));

            assertThat(user.exchanges).extracting(Exchange::status).containsExactly(200, 200);
            assertThat(user.strayBytes.get()).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aHeadRequestsResponseHasNoBodyWhateverItsLengthSays() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.answering(head)) {
            CountingUser user = new CountingUser(3);

            runToEnd(Http1Transport.create(spec("HEAD", server.url("/"), Duration.ofSeconds(5), true, null)), user);

            assertThat(user.exchanges).extracting(Exchange::status, Exchange::error)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(200, null));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aRequestLargerThanTheSocketBuffersIsWrittenWholeAsTheServerReadsIt() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        AtomicLong received = new AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    long total = 0;
                    int n;
                    while (total < body.length && (n = in.read(buffer)) > 0) {
                        total += n;
                        received.set(total);
                        if (total % (1 << 20) < 4096) {
                            Thread.sleep(5); // a slow reader: the client's writes must wait for room
                        }
                    }
                    socket.getOutputStream().write(OK.getBytes());
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (Exception ignored) {
                    // the test's assertions tell
                }
            });
            HttpRequestSpec spec = spec("POST", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/upload"),
                    Duration.ofSeconds(10), true, body);
            CountingUser user = new CountingUser(1);

            runToEnd(Http1Transport.create(spec), user);

            assertThat(user.exchanges).containsExactly(Exchange.response(200, requestLength(spec), OK.length()));
            assertThat(received.get()).isGreaterThanOrEqualTo(body.length);
        }
    }

    @Test
    void interruptingTheLoopAbandonsTheExchangeInFlightUncountedAndClosesItsConnection() throws Exception {
        CountDownLatch clientHungUp = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            ScriptedServer.drainQuietly(peer); // no answer: returns when the client closes the connection
            clientHungUp.countDown();
        })) {
            CountingUser user = new CountingUser(5);
            EventLoop loop = new EventLoop(Http1Transport.create(get(server.url("/"))));
            loop.add(user);
            Thread thread = Thread.ofPlatform().start(loop);
            assertThat(user.firstSent.await(5, TimeUnit.SECONDS)).isTrue();
            server.takeRequest();

            thread.interrupt();

            assertThat(thread.join(Duration.ofSeconds(5))).isTrue();
            assertThat(clientHungUp.await(5, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
            assertThat(user.abandoned.get()).isEqualTo(1);
            assertThat(user.exchanges).isEmpty();
        }
    }
}
