package dev.barrage.warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warm-up's target: a minimal HTTP/1.1 server on an ephemeral loopback port of this JVM that
 * answers every request with the same small 200, keeping connections alive. A request is a head
 * ending in an empty line (the warm-up sends GETs without a body), so it counts request ends and
 * writes one response for each.
 *
 * <p>Thread-safety: started and closed by one thread; the acceptor and each connection run on
 * their own virtual threads; the set of open connections is concurrent so that close reaches them.
 */
final class LoopbackResponder implements AutoCloseable {

    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    private LoopbackResponder(ServerSocketChannel server) {
        this.server = server;
    }

    static LoopbackResponder start() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        LoopbackResponder responder = new LoopbackResponder(server);
        Thread.ofVirtual().name("barrage-warmup-acceptor").start(responder::accept);
        return responder;
    }

    /** Where to send requests: {@code http://<loopback>:<port>/}. */
    String baseUrl() throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/";
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel connection = server.accept();
                connections.add(connection);
                Thread.ofVirtual().name("barrage-warmup-target").start(() -> serve(connection));
            }
        } catch (IOException closed) {
            // close() closed the server socket: the warm-up is over
        }
    }

    private void serve(SocketChannel connection) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        int matched = 0; // bytes of HEAD_END seen in a row
        try (connection) {
            while (connection.read(in) >= 0) {
                in.flip();
                int requests = 0;
                while (in.hasRemaining()) {
                    byte b = in.get();
                    matched = b == HEAD_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == HEAD_END.length) {
                        requests++;
                        matched = 0;
                    }
                }
                in.clear();
                for (int i = 0; i < requests; i++) {
                    ByteBuffer out = ByteBuffer.wrap(RESPONSE);
                    while (out.hasRemaining()) {
                        connection.write(out);
                    }
                }
            }
        } catch (IOException gone) {
            // the client closed or reset the connection
        } finally {
            connections.remove(connection);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing is accepted any more either way
        }
        for (SocketChannel connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // best effort: its thread ends on the closed channel
            }
        }
    }
}
