package dev.barrage.engine.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;

/**
 * One worker's HTTP/1.1 channel: at most one connection, opened lazily and reused while the
 * responses allow it.
 *
 * <p>Thread-safety: confined to the thread that uses it, like every {@link TransportSession}.
 * {@link #close()} may be called from that thread only; other threads stop a blocked exchange by
 * interrupting its (virtual) thread, which closes the socket.
 */
final class Http1Session implements TransportSession {

    private final Connector connector;
    private final byte[] request;
    private final long timeoutNanos;
    private final boolean keepAlive;
    private final boolean headRequest;
    private final ResponseReader reader = new ResponseReader();
    private Connection connection;

    Http1Session(Connector connector, byte[] request, long timeoutNanos, boolean keepAlive, boolean headRequest) {
        this.connector = connector;
        this.request = request;
        this.timeoutNanos = timeoutNanos;
        this.keepAlive = keepAlive;
        this.headRequest = headRequest;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows the JDK convention for interruption: the interrupt status is cleared when
     * {@link InterruptedException} is thrown.
     */
    @Override
    public Exchange execute() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw abandon();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long bytesSent = 0;
        boolean mayRetryStale = connection != null;
        while (true) {
            reader.reset();
            try {
                if (connection == null) {
                    connection = connector.open(deadline);
                }
                connection.deadline(deadline);
                connection.write(request);
                bytesSent += request.length;
                int status = reader.read(connection, headRequest);
                if (!keepAlive || !reader.reusable()) {
                    closeConnection();
                } else {
                    connection.idle();
                }
                return Exchange.response(status, bytesSent, reader.bytesRead());
            } catch (IOException | RuntimeException e) {
                closeConnection();
                if (Thread.currentThread().isInterrupted()) {
                    throw abandon();
                }
                // The server may close an idle keep-alive connection just as we reuse it; that is
                // not the target failing, so try once more on a fresh connection.
                if (mayRetryStale && reader.bytesRead() == 0 && isClosedByPeer(e)) {
                    mayRetryStale = false;
                    continue;
                }
                return Exchange.failure(FailureClassifier.classify(e), bytesSent, reader.bytesRead());
            }
        }
    }

    @Override
    public void connect() throws InterruptedException {
        if (connection != null || !keepAlive) {
            return;
        }
        try {
            connection = connector.open(System.nanoTime() + timeoutNanos);
        } catch (IOException | RuntimeException e) {
            closeConnection();
            if (Thread.currentThread().isInterrupted()) {
                throw abandon();
            }
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private static boolean isClosedByPeer(Exception e) {
        return e instanceof EOFException || e instanceof SocketException;
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
