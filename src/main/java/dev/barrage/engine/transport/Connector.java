package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

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

    /** Whether connections are plain TCP (http), with no TLS layered over them. */
    boolean plain() {
        return tls == null;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    TargetPolicy policy() {
        return policy;
    }

    /**
     * @throws ConnectFailedException when resolving or the TCP connect fails; handshake failures
     *                                are thrown as they are (SSLException, timeouts, resets)
     */
    Connection open(long deadlineNanos) throws IOException {
        SocketChannel channel = connect(deadlineNanos);
        try {
            Socket tcp = channel.socket();
            Socket socket = tls == null ? tcp : tls.handshake(tcp, endpoint.host(), endpoint.port(), deadlineNanos);
            return new Connection(channel, socket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** A channel (never a proxy: it connects directly), connected within the deadline. */
    private SocketChannel connect(long deadlineNanos) throws ConnectFailedException {
        SocketChannel channel = null;
        try {
            InetAddress address = InetAddress.getByName(endpoint.host());
            if (!policy.allows(endpoint.host(), address)) {
                throw new TargetNotAllowedException(endpoint.host(), address.getHostAddress());
            }
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // the request goes out in one write
            channel.socket().connect(new InetSocketAddress(address, endpoint.port()), Deadline.remainingMillis(deadlineNanos));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConnectFailedException(e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the connection is abandoned either way; the original failure is what matters
        }
    }
}
