package dev.barrage.runs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Opens one TCP connection to a target and closes it: how a generator of a distributed run makes sure,
 * before any load is sent anywhere, that it can reach every target. Sends no request. Stateless.
 */
final class TargetProbe {

    private TargetProbe() {
    }

    /** Null when a connection to the target's host and port opened within {@code timeout}, else why not. */
    static String connect(URI target, Duration timeout) {
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (IOException e) {
            return "it cannot connect to " + target.getHost() + ":" + port + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
    }
}
