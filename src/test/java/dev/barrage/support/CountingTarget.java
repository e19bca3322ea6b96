package dev.barrage.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port that answers every request with one
 * status and body (no body to a HEAD), optionally after a think time, and counts every request it
 * receives, so a test can compare Barrage's summary with what the target actually received.
 *
 * <p>Thread-safety: requests are answered on virtual threads; every method is safe from any thread.
 */
public final class CountingTarget implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong received = new AtomicLong();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public CountingTarget(int status, byte[] body) throws IOException {
        this(status, body, Duration.ZERO);
    }

    /** Answers {@code body} in UTF-8. */
    public CountingTarget(int status, String body) throws IOException {
        this(status, body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    /** Answers each request {@code thinkTime} after reading it, like a server doing some work. */
    public CountingTarget(int status, byte[] body, Duration thinkTime) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1000);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            received.incrementAndGet();
            pause(thinkTime);
            awaitGate();
            boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
            if (!noBody) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** From now on every request waits, unanswered, until {@link #open()}: a frozen target. */
    public void freeze() {
        gate = new CountDownLatch(1);
    }

    /** Answers the requests a {@link #freeze()} held, and all later ones at once. */
    public void open() {
        gate.countDown();
    }

    private void awaitGate() {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(Duration thinkTime) {
        if (thinkTime.isZero()) {
            return;
        }
        try {
            Thread.sleep(thinkTime);
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

    /** Requests received so far, answered or not. */
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
