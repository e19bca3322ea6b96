package dev.barrage.engine.transport;

/**
 * One worker's channel to the target: at most one connection, reused while keep-alive allows.
 * Thread-safety: confined to the single thread that opened it; not safe for concurrent use.
 */
public interface TransportSession extends AutoCloseable {

    /**
     * Sends the session's own request (a single-request test's, encoded once) once and reads the
     * whole response, discarding the body.
     * Never throws for network or protocol trouble: that is reported as {@link Exchange#error()}.
     *
     * @throws InterruptedException when the calling thread was interrupted (the run is being
     *                              cancelled); the exchange is abandoned and must not be counted
     */
    Exchange execute() throws InterruptedException;

    /**
     * Sends {@code request[0, length)} once (a complete HTTP/1.1 request: a scenario step's, encoded
     * per iteration) over this session's connection to its target, and reads the whole response
     * within {@code timeoutNanos}, showing it to {@code listener} when not null.
     *
     * @param headRequest the request is a HEAD, so its response has no body
     * @throws InterruptedException as {@link #execute()}
     */
    default Exchange execute(byte[] request, int length, long timeoutNanos, boolean headRequest, ResponseListener listener)
            throws InterruptedException {
        throw new UnsupportedOperationException("this session sends only the request it was made for");
    }

    /**
     * Opens the keep-alive connection ahead of the first request, so a worker joining a busy run
     * does not spend a request's time on the handshake. Does nothing when already connected or
     * without keep-alive; a failure is not reported here but by the next {@link #execute()}.
     *
     * @throws InterruptedException when the calling thread was interrupted
     */
    default void connect() throws InterruptedException {
    }

    /**
     * Closes the connection, if any, after a last look for bytes nobody asked for (reported to the
     * session's {@link StrayBytesListener}). Idempotent, never throws.
     */
    @Override
    void close();
}
