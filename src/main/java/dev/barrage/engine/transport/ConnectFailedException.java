package dev.barrage.engine.transport;

import java.io.IOException;

/**
 * Marks a failure while resolving the host or opening the TCP connection, so that the
 * classification can tell a connect timeout from a read timeout and a connect-time socket
 * error (e.g. network unreachable) from a reset of an established connection.
 */
final class ConnectFailedException extends IOException {

    ConnectFailedException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
