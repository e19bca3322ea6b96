package dev.barrage.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw-socket "target" on 127.0.0.1 and an ephemeral port that misbehaves the way its
 * {@link Behaviour} says, one thread per connection. It counts connections and complete
 * request heads, so a test can compare Barrage's summary with what the target saw.
 */
final class FaultServer implements AutoCloseable {

    /** What the target does with one accepted connection. Exceptions end the connection quietly. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Peer peer) throws Exception;
    }

    /** One accepted connection, seen from the target. */
    final class Peer {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads one request head (Barrage sends bodiless GETs); false when the client closed first. */
        boolean readHead() throws IOException {
            int matched = 0; // of "\r\n\r\n"
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\r' && (matched == 0 || matched == 2)) {
                    matched++;
                } else if (b == '\n' && (matched == 1 || matched == 3)) {
                    matched++;
                    if (matched == 4) {
                        heads.incrementAndGet();
                        return true;
                    }
                } else {
                    matched = b == '\r' ? 1 : 0;
                }
            }
            return false;
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void send(String ascii) throws IOException {
            send(ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        /** Waits until the client closes (or resets) the connection, discarding whatever it sends. */
        void awaitClientClose() throws IOException {
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // discard
            }
        }
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong heads = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /**
     * Platform threads: a real target is another process, so its threads must not compete with
     * Barrage's virtual users for the JVM's carrier threads (a writer that never blocks would
     * otherwise hold a carrier and delay the users it is testing).
     */
    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("fault-target-", 0).daemon().factory());

    FaultServer(Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 500, InetAddress.getByName("127.0.0.1"));
        this.behaviour = behaviour;
        threads.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            open.add(socket);
            try {
                threads.execute(() -> {
                    try (socket) {
                        behaviour.serve(new Peer(socket));
                    } catch (Exception ignored) {
                        // the client went away: that is how most fault scenarios end
                    } finally {
                        open.remove(socket);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing down anyway
                }
                return;
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/fault";
    }

    long connections() {
        return connections.get();
    }

    /** Complete request heads read by the target. */
    long requestHeads() {
        return heads.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        threads.shutdownNow();
    }
}
