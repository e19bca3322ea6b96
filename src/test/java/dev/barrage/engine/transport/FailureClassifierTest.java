package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Mappings that loopback tests cannot provoke: kernel connect timeouts, routing errors, bugs. */
class FailureClassifierTest {

    @Test
    void connectFailures() {
        assertThat(FailureClassifier.classify(new ConnectFailedException(new UnknownHostException("x.invalid"))))
                .isEqualTo(ErrorKind.UNKNOWN_HOST);
        assertThat(FailureClassifier.classify(new ConnectFailedException(new ConnectException("Connection refused"))))
                .isEqualTo(ErrorKind.CONNECTION_REFUSED);
        assertThat(FailureClassifier.classify(new ConnectFailedException(new SocketTimeoutException("Connect timed out"))))
                .isEqualTo(ErrorKind.CONNECT_TIMEOUT);
        assertThat(FailureClassifier.classify(new ConnectFailedException(new ConnectException("Connection timed out"))))
                .isEqualTo(ErrorKind.CONNECT_TIMEOUT);
        assertThat(FailureClassifier.classify(new ConnectFailedException(new NoRouteToHostException("No route to host"))))
                .isEqualTo(ErrorKind.OTHER);
        assertThat(FailureClassifier.classify(new ConnectFailedException(new SocketException("Network is unreachable"))))
                .isEqualTo(ErrorKind.OTHER);
    }

    @Test
    void failuresOnAConnection() {
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Read timed out"))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(FailureClassifier.classify(new SSLHandshakeException("bad certificate"))).isEqualTo(ErrorKind.TLS);
        assertThat(FailureClassifier.classify(new MalformedResponseException("bad"))).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(FailureClassifier.classify(new EOFException())).isEqualTo(ErrorKind.CONNECTION_CLOSED);
        assertThat(FailureClassifier.classify(new SocketException("Connection reset"))).isEqualTo(ErrorKind.CONNECTION_RESET);
        assertThat(FailureClassifier.classify(new SocketException("Broken pipe"))).isEqualTo(ErrorKind.CONNECTION_RESET);
    }

    @Test
    void anythingElseIsOther() {
        assertThat(FailureClassifier.classify(new IOException("odd"))).isEqualTo(ErrorKind.OTHER);
        assertThat(FailureClassifier.classify(new ArrayIndexOutOfBoundsException("codec bug"))).isEqualTo(ErrorKind.OTHER);
    }
}
