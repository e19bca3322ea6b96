package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whichever of the two deadline enforcers closes a socket first (the sweeper, or the watchdog of a
 * large write), the exchange fails as a timeout: a socket closed at the deadline is not a reset.
 */
class ConnectionDeadlineTest {

    @Test
    void aLargeWriteCutShortByTheSweeperIsATimeoutNotAReset() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel channel = SocketChannel.open(server.getLocalAddress());
                 SocketChannel peer = server.accept()) { // the peer never reads
                Connection connection = new Connection(channel, channel.socket());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // the watchdog stays quiet
                connection.deadline(deadline);

                connection.abortIfPast(deadline + 1); // the sweeper's view: the deadline has passed

                assertThatThrownBy(() -> connection.write(new byte[1024 * 1024]))
                        .isInstanceOf(SocketTimeoutException.class)
                        .satisfies(failure -> assertThat(FailureClassifier.classify((Exception) failure)).isEqualTo(ErrorKind.TIMEOUT));
                connection.close();
            }
        }
    }
}
