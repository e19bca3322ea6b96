package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;

/**
 * Opens connections to one endpoint: resolves the host on every connect (so DNS changes during a
 * long run are seen, within the JVM's DNS cache), checks the address against the target policy
 * (so a changed DNS answer cannot redirect load), connects with TCP_NODELAY within the exchange
 * deadline, and adds TLS for https.
 *
 * <p>Thread-safety: immutable and thread-safe; shared by all sessions of a transport.
 */
final class Connector {

    private final Endpoint endpoint;
    private final TlsLayer tls; // null for plain http
    private final TargetPolicy policy;

    Connector(Endpoint endpoint, TlsLayer tls, TargetPolicy policy) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.policy = policy;
    }

    /**
     * @throws ConnectFailedException when resolving or the TCP connect fails; handshake failures
     *                                are thrown as they are (SSLException, timeouts, resets)
     */
    Connection open(long deadlineNanos) throws IOException {
        Socket tcp = connect(deadlineNanos);
        try {
            Socket socket = tls == null ? tcp : tls.handshake(tcp, endpoint.host(), endpoint.port(), deadlineNanos);
            return new Connection(socket, tcp);
        } catch (IOException | RuntimeException e) {
            closeQuietly(tcp);
            throw e;
        }
    }

    private Socket connect(long deadlineNanos) throws ConnectFailedException {
        Socket socket = new Socket(Proxy.NO_PROXY); // direct: skips the SOCKS layer and proxy lookup
        try {
            InetAddress address = InetAddress.getByName(endpoint.host());
            if (!policy.allows(endpoint.host(), address)) {
                throw new TargetNotAllowedException(endpoint.host(), address.getHostAddress());
            }
            socket.setTcpNoDelay(true); // the request goes out in one write; do not wait for an ACK
            socket.connect(new InetSocketAddress(address, endpoint.port()), Deadline.remainingMillis(deadlineNanos));
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectFailedException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the connection is abandoned either way; the original failure is what matters
        }
    }
}
