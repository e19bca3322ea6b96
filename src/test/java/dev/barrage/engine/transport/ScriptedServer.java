package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A raw-socket test server on 127.0.0.1 and an ephemeral port that runs the same script for every
 * accepted connection (the script can tell connections apart by {@link Peer#index()}). It counts
 * connections and records every request its peers read, byte for byte.
 */
final class ScriptedServer implements AutoCloseable {

    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** Turns an accepted TCP socket into the one the script talks over (e.g. server-side TLS). */
    @FunctionalInterface
    private interface Layer {
        Socket wrap(Socket raw) throws IOException;
    }

    private final ServerSocket server;
    private final Script script;
    private final Layer layer;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();

    private ScriptedServer(ServerSocket server, Script script, Layer layer) {
        this.server = server;
        this.script = script;
        this.layer = layer;
        Thread.ofVirtual().name("scripted-server-" + server.getLocalPort()).start(this::acceptLoop);
    }

    static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(loopbackServerSocket(), script, raw -> raw);
    }

    /** Speaks TLS with the given server context; the handshake runs on the script's first I/O. */
    static ScriptedServer startTls(SSLContext context, Script script) throws IOException {
        SSLSocketFactory factory = context.getSocketFactory();
        return new ScriptedServer(loopbackServerSocket(), script, raw -> {
            SSLSocket tls = (SSLSocket) factory.createSocket(raw, null, raw.getPort(), true);
            tls.setUseClientMode(false);
            return tls;
        });
    }

    private static ServerSocket loopbackServerSocket() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    /** Answers every request on every connection with the same bytes, keeping connections open. */
    static ScriptedServer answering(String response) throws IOException {
        return start(peer -> {
            while (peer.readRequest() != null) {
                peer.send(response);
            }
        });
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    URI httpsUrl(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + port() + pathAndQuery);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return accepted.get();
    }

    /** The next request a peer read, waiting a bounded time so that a broken test fails, not hangs. */
    String takeRequest() throws InterruptedException {
        byte[] request = requests.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the server received no request");
        }
        return Peer.text(request);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket raw;
            try {
                raw = server.accept();
            } catch (IOException closed) {
                return;
            }
            sockets.add(raw);
            int index = accepted.getAndIncrement();
            Thread.ofVirtual().start(() -> {
                try (raw; Socket socket = layer.wrap(raw)) {
                    script.run(new Peer(index, socket, raw, requests, closed));
                } catch (Exception expected) {
                    // clients under test hang up, time out and get interrupted: not a server failure
                }
            });
        }
    }

    /** Reads and ignores whatever the client sends until it hangs up. */
    static void drainQuietly(Peer peer) {
        try {
            peer.skipUntilClientCloses();
        } catch (IOException expected) {
            // a reset counts as hanging up
        }
    }
}
