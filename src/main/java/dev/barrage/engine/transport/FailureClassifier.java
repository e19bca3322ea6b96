package dev.barrage.engine.transport;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Maps what went wrong in an exchange to the {@link ErrorKind} reported for it. Stateless. */
final class FailureClassifier {

    private FailureClassifier() {
    }

    static ErrorKind classify(Exception failure) {
        if (failure instanceof ConnectFailedException connect) {
            return classifyConnect(connect.getCause());
        }
        return switch (failure) {
            case SocketTimeoutException timeout -> ErrorKind.TIMEOUT; // handshake, write or read
            case MalformedResponseException malformed -> ErrorKind.PROTOCOL;
            case SSLException tls -> ErrorKind.TLS;
            // On an established connection: a clean close (end of stream) or a reset, mid-exchange.
            case EOFException eof -> ErrorKind.CONNECTION_CLOSED;
            case SocketException reset -> ErrorKind.CONNECTION_RESET;
            default -> ErrorKind.OTHER;
        };
    }

    private static ErrorKind classifyConnect(Exception cause) {
        return switch (cause) {
            case UnknownHostException unknown -> ErrorKind.UNKNOWN_HOST;
            case TargetNotAllowedException refused -> ErrorKind.TARGET_NOT_ALLOWED;
            case SocketTimeoutException timeout -> ErrorKind.CONNECT_TIMEOUT;
            // The kernel's own SYN retry limit surfaces as ConnectException "Connection timed out".
            case ConnectException refused when String.valueOf(refused.getMessage()).contains("timed out") ->
                    ErrorKind.CONNECT_TIMEOUT;
            case ConnectException refused -> ErrorKind.CONNECTION_REFUSED;
            default -> ErrorKind.OTHER; // e.g. no route to host, network unreachable
        };
    }
}
