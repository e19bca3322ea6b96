package dev.barrage.engine.transport;

import java.io.IOException;

/**
 * One worker's HTTP/1.1 channel: at most one connection, opened lazily and reused while the
 * responses allow it. A request is written once and never again: when its connection fails after
 * the write, that is the request's failure, and the next request opens a new connection. Before a
 * connection that sat idle is reused it is probed without blocking: one the peer closed is
 * replaced before anything is written (an idle timeout costs no failure), and one with bytes nobody
 * asked for is closed and those bytes are charged to the response they followed, never to the next
 * request. A connection reused at once (a closed-model user's next request) is not probed: a
 * server's idle timeout cannot have struck within {@link #PROBE_AFTER_IDLE_NANOS}, and the probe's
 * system call would cost a load generator at 100,000 requests a second several percent.
 *
 * <p>Thread-safety: confined to the thread that uses it, like every {@link TransportSession}.
 * {@link #close()} may be called from that thread only; other threads stop a blocked exchange by
 * interrupting its (virtual) thread, which closes the socket.
 */
final class Http1Session implements TransportSession {

    /**
     * Idle at least this long, a connection is probed before reuse. A probe costs about 2 µs (13 % of
     * a loopback exchange when done on every reuse, docs/design.md); after 1 ms idle, under 0.2 %.
     */
    static final long PROBE_AFTER_IDLE_NANOS = 1_000_000;

    private final Connector connector;
    private final byte[] request;
    private final long timeoutNanos;
    private final boolean keepAlive;
    private final boolean headRequest;
    private final long probeAfterIdleNanos;
    private final StrayBytesListener strayBytes;
    private final ResponseReader reader = new ResponseReader();
    private Connection connection;
    private long idleSince;

    Http1Session(Connector connector, byte[] request, long timeoutNanos, boolean keepAlive, boolean headRequest,
                 long probeAfterIdleNanos, StrayBytesListener strayBytes) {
        this.connector = connector;
        this.request = request;
        this.timeoutNanos = timeoutNanos;
        this.keepAlive = keepAlive;
        this.headRequest = headRequest;
        this.probeAfterIdleNanos = probeAfterIdleNanos;
        this.strayBytes = strayBytes;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows the JDK convention for interruption: the interrupt status is cleared when
     * {@link InterruptedException} is thrown.
     */
    @Override
    public Exchange execute() throws InterruptedException {
        return execute(request, request.length, timeoutNanos, headRequest, null);
    }

    @Override
    public Exchange execute(byte[] request, int length, long timeoutNanos, boolean headRequest,
                            ResponseListener listener) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw abandon();
        }
        long now = System.nanoTime();
        long deadline = now + timeoutNanos;
        long bytesSent = 0;
        reader.reset();
        try {
            if (now - idleSince >= probeAfterIdleNanos) {
                dropIdleConnectionUnlessOpen();
            }
            if (connection == null) {
                connection = connector.open(deadline);
            }
            DeadlineSweeper.expect(timeoutNanos);
            connection.deadline(deadline);
            connection.write(request, length);
            bytesSent = length;
            int status = reader.read(connection, headRequest, listener);
            if (!keepAlive || !reader.reusable()) {
                closeConnection();
            } else {
                connection.idle();
                idleSince = System.nanoTime();
            }
            return Exchange.response(status, bytesSent, reader.bytesRead());
        } catch (IOException | RuntimeException e) {
            closeConnection();
            if (Thread.currentThread().isInterrupted()) {
                throw abandon();
            }
            return Exchange.failure(FailureClassifier.classify(e), bytesSent, reader.bytesRead());
        }
    }

    @Override
    public void connect() throws InterruptedException {
        if (connection != null || !keepAlive) {
            return;
        }
        try {
            connection = connector.open(System.nanoTime() + timeoutNanos);
            idleSince = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            closeConnection();
            if (Thread.currentThread().isInterrupted()) {
                throw abandon();
            }
        }
    }

    /** Probes an idle connection before closing it, so stray bytes after the last response are still charged to it. */
    @Override
    public void close() {
        dropIdleConnectionUnlessOpen();
        closeConnection();
    }

    private void dropIdleConnectionUnlessOpen() {
        if (connection == null) {
            return;
        }
        Connection.Idle idle = connection.probe();
        if (idle != Connection.Idle.OPEN) {
            closeConnection();
            if (idle == Connection.Idle.STRAY_BYTES) {
                strayBytes.lastResponseFollowedByStrayBytes();
            }
        }
    }

    private InterruptedException abandon() {
        closeConnection();
        Thread.interrupted();
        return new InterruptedException("exchange abandoned: the worker thread was interrupted");
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
