package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The policy is applied on every connect, to the address resolved then: nothing is sent to a refused one. */
class TargetPolicyTransportTest {

    @Test
    void aRefusedAddressGetsNoConnectionAndIsReportedAsSuch() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        server.accept().close();
                        accepted.incrementAndGet();
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            HttpRequestSpec spec = new HttpRequestSpec("GET", URI.create("http://127.0.0.2:" + server.getLocalPort() + "/"),
                    Map.of(), null, Duration.ofSeconds(2), true, false);
            Transport transport = Http1Transport.create(spec, new AllowList(List.of("127.0.0.1")));

            Exchange exchange;
            try (TransportSession session = transport.openSession()) {
                exchange = session.execute();
            }

            assertThat(exchange.error()).isEqualTo(ErrorKind.TARGET_NOT_ALLOWED);
            assertThat(exchange.bytesSent()).isZero();
            assertThat(accepted.get()).isZero();
        }
    }
}
