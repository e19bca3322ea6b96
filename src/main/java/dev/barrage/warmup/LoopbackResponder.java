package dev.barrage.warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warm-up's target: a minimal HTTP/1.1 server on an ephemeral loopback port of this JVM that
 * answers the way real servers do, so that the optimising compiler meets every branch a first run
 * takes. A warm-up against one small 200 with a single header left the header parser, the
 * response framing and the reconnect path with branches the compiler had never seen taken: the
 * first run against nginx hit them, the compiled code was thrown away ("uncommon trap") and those
 * methods ran unoptimised for seconds while it recompiled (docs/performance.md, "A warm-up that
 * looks like a real target"). So it answers in a {@link #ROTATION} of shapes: nginx's headers,
 * a chunked JSON body as Tomcat sends it, a 404 as Go's net/http sends it, a body of a few KiB;
 * and like nginx (keepalive_requests) it closes a connection after {@link #KEEP_ALIVE_REQUESTS}
 * responses, with {@code Connection: close} on the last one, so that connections are set up again
 * in the middle of a slice. A request is a head ending in an empty line (the warm-up sends GETs
 * without a body), so it counts request ends and writes one response for each.
 *
 * <p>Thread-safety: started and closed by one thread; the acceptor and each connection run on
 * their own virtual threads; the set of open connections is concurrent so that close reaches them.
 */
final class LoopbackResponder implements AutoCloseable {

    /**
     * Responses per connection before the responder closes it, as nginx does after its keepalive_requests;
     * fewer than nginx's, so that the warm-up sets up connections often enough for their code to be
     * compiled: with 200, a first run's burst of connections ran it interpreted and compiled it then.
     */
    static final int KEEP_ALIVE_REQUESTS = 40;
    private static final String DATE = "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\n";
    private static final byte[] NGINX_OK = ascii("HTTP/1.1 200 OK\r\nServer: nginx\r\n" + DATE
            + "Content-Type: application/octet-stream\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok");
    private static final byte[] TOMCAT_CHUNKED_JSON = ascii("HTTP/1.1 200 \r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n" + DATE + "Keep-Alive: timeout=60\r\nConnection: keep-alive\r\n\r\n"
            + "b\r\n{\"ok\":true}\r\n0\r\n\r\n");
    private static final byte[] GO_NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n" + DATE + "Content-Length: 19\r\n\r\n404 page not found\n");
    private static final String JSON_ARRAY = "[" + "0,".repeat(2046) + "0]\n";
    private static final byte[] LARGER_JSON = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + DATE
            + "Content-Length: " + JSON_ARRAY.length() + "\r\n\r\n" + JSON_ARRAY);
    private static final byte[] NGINX_CLOSING = ascii("HTTP/1.1 200 OK\r\nServer: nginx\r\n" + DATE
            + "Content-Type: application/octet-stream\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    /** Mostly nginx's small answer, with each other shape often enough that its branches are profiled as taken. */
    private static final List<byte[]> ROTATION = List.of(NGINX_OK, NGINX_OK, NGINX_OK, TOMCAT_CHUNKED_JSON,
            NGINX_OK, NGINX_OK, NGINX_OK, GO_NOT_FOUND, NGINX_OK, NGINX_OK, NGINX_OK, TOMCAT_CHUNKED_JSON,
            NGINX_OK, NGINX_OK, NGINX_OK, LARGER_JSON);
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
        int served = 0;
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
                    served++;
                    boolean last = served == KEEP_ALIVE_REQUESTS;
                    write(connection, last ? NGINX_CLOSING : ROTATION.get(served % ROTATION.size()));
                    if (last) {
                        return;
                    }
                }
            }
        } catch (IOException gone) {
            // the client closed or reset the connection
        } finally {
            connections.remove(connection);
        }
    }

    private static void write(SocketChannel connection, byte[] response) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(response);
        while (out.hasRemaining()) {
            connection.write(out);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
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
