package dev.barrage.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on an ephemeral loopback port that counts every request it answers, so a
 * test can compare Barrage's summary with what the target actually received.
 *
 * <p>Thread-safety: requests are answered on virtual threads; every method is safe from any thread.
 */
public final class CountingTarget implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong received = new AtomicLong();
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

    public CountingTarget(int status, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            received.incrementAndGet();
            awaitGate();
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** From now on every request waits, unanswered, until {@link #open()}: a frozen target. */
    void freeze() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    private void awaitGate() {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/work";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long received() {
        return received.get();
    }

    @Override
    public void close() {
        open();
        server.stop(0);
        executor.close();
    }
}
