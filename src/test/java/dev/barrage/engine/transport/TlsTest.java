package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * https against in-test TLS servers. The self-signed keystores under src/test/resources were made
 * with keytool: {@code loopback-ip.p12} is valid for IP 127.0.0.1, {@code wrong-host.p12} only for
 * DNS wrong-host.invalid (both EC P-256, password "changeit", valid for 100 years).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String LOOPBACK_IP = "loopback-ip.p12";
    private static final String WRONG_HOST = "wrong-host.p12";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static HttpRequestSpec get(ScriptedServer server, boolean insecureTls) {
        return new HttpRequestSpec("GET", server.httpsUrl("/secure"), Map.of(), null, Duration.ofSeconds(5), true,
                insecureTls);
    }

    private static Exchange executeOnce(Transport transport) throws InterruptedException {
        try (TransportSession session = transport.openSession()) {
            return session.execute();
        }
    }

    @Test
    void insecureTlsAcceptsASelfSignedCertificateAndReusesTheConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), answering(OK));
             TransportSession session = Http1Transport.create(get(server, true)).openSession()) {
            Exchange first = session.execute();
            Exchange second = session.execute();

            // Bytes are HTTP bytes, not TLS records.
            String request = server.takeRequest();
            assertThat(List.of(first, second)).containsOnly(Exchange.response(200, request.length(), OK.length()));
            assertThat(request).startsWith("GET /secure HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void defaultTrustRejectsASelfSignedCertificate() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), answering(OK))) {
            Exchange exchange = executeOnce(Http1Transport.create(get(server, false)));

            assertThat(exchange).isEqualTo(Exchange.failure(ErrorKind.TLS, 0, 0));
        }
    }

    @Test
    void verificationAcceptsATrustedCertificateForTheHost() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), answering(OK))) {
            Exchange exchange = executeOnce(Http1Transport.create(get(server, false), trusting(LOOPBACK_IP)));

            assertThat(exchange.status()).isEqualTo(200);
        }
    }

    @Test
    void verificationRejectsATrustedCertificateForAnotherHost() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(WRONG_HOST), answering(OK))) {
            Exchange exchange = executeOnce(Http1Transport.create(get(server, false), trusting(WRONG_HOST)));

            assertThat(exchange.error()).isEqualTo(ErrorKind.TLS);
        }
    }

    @Test
    void insecureTlsSkipsTheHostNameCheck() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(WRONG_HOST), answering(OK))) {
            assertThat(executeOnce(Http1Transport.create(get(server, true))).status()).isEqualTo(200);
        }
    }

    @Test
    void plainHttpServerAnsweringTheHandshakeIsATlsFailure() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            ScriptedServer.drainQuietly(peer);
        })) {
            assertThat(executeOnce(Http1Transport.create(get(server, true))).error()).isEqualTo(ErrorKind.TLS);
        }
    }

    @Test
    // The handshake has no socket timeout (the watchdog bounds it), and a blocked read ignores
    // interrupts: run apart so that a regression fails, not hangs.
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void silentHandshakeTimesOutWithinTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (ScriptedServer server = ScriptedServer.start(Peer::holdUntilServerCloses)) {
            HttpRequestSpec spec = new HttpRequestSpec("GET", server.httpsUrl("/"), Map.of(), null, timeout, true, true);

            long start = System.nanoTime();
            Exchange exchange = executeOnce(Http1Transport.create(spec));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange.error()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(elapsed).isBetween(timeout, timeout.plusSeconds(2));
        }
    }

    @Test
    // A blocked socket write ignores interrupts: run apart so that a regression fails, not hangs.
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requestTooLargeForAPeerThatNeverReadsTimesOut() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), peer -> {
            peer.handshake();
            peer.holdUntilServerCloses();
        })) {
            HttpRequestSpec spec = new HttpRequestSpec("POST", server.httpsUrl("/upload"), Map.of(),
                    new byte[16 * 1024 * 1024], timeout, true, true);

            long start = System.nanoTime();
            Exchange exchange = executeOnce(Http1Transport.create(spec));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exchange.error()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(elapsed).isBetween(timeout, timeout.plusSeconds(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close_notify", "FIN without close_notify", "RST"})
    void anIdleTlsConnectionTheServerClosedIsReplacedBeforeAnythingIsWritten(String how) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), peer -> {
            if (peer.index() > 0) {
                answering(OK).run(peer);
                return;
            }
            peer.readRequest();
            peer.send(OK);
            answered.await(); // a reset would discard the answer still unread in the client's buffer
            switch (how) {
                case "close_notify" -> peer.close();
                case "RST" -> peer.reset();
                default -> peer.abort();
            }
            closed.countDown();
        })) {
            try (TransportSession session = Http1Transport.create(get(server, true)).probingEveryReuse().openSession()) {
                assertThat(session.execute().status()).isEqualTo(200);
                answered.countDown();
                assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();

                Exchange next = session.execute();

                assertThat(next.status()).as("%s", next).isEqualTo(200);
                assertThat(next.bytesReceived()).isEqualTo(OK.length());
            }
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.requests).hasSize(2);
        }
    }

    @Test
    void aTlsConnectionClosedAfterTheRequestWasWrittenIsConnectionClosedAndNotSentAgain() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(serverContext(LOOPBACK_IP), peer -> {
            if (peer.index() > 0) {
                answering(OK).run(peer);
                return;
            }
            peer.readRequest();
            peer.send(OK);
            peer.readRequest();
            peer.abort();
        })) {
            try (TransportSession session = Http1Transport.create(get(server, true)).openSession()) {
                assertThat(session.execute().status()).isEqualTo(200);
                Exchange failed = session.execute();

                // a FIN under TLS without close_notify: the JDK reports the end of the stream
                assertThat(failed.error()).as("%s", failed).isEqualTo(ErrorKind.CONNECTION_CLOSED);
                assertThat(failed.bytesReceived()).isZero();
            }
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    private static ScriptedServer.Script answering(String response) {
        return peer -> {
            while (peer.readRequest() != null) {
                peer.send(response);
            }
        };
    }

    private static KeyStore keyStore(String resource) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream(resource)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static SSLContext serverContext(String resource) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(resource), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client context whose only trust anchor is the keystore's self-signed certificate. */
    private static SSLContext trusting(String resource) throws IOException, GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("server", keyStore(resource).getCertificate("server"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
