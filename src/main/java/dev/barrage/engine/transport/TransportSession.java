package dev.barrage.engine.transport;

/**
 * One worker's channel to the target: at most one connection, reused while keep-alive allows.
 * Thread-safety: confined to the single thread that opened it; not safe for concurrent use.
 */
public interface TransportSession extends AutoCloseable {

    /**
     * Sends the request once and reads the whole response, discarding the body.
     * Never throws for network or protocol trouble: that is reported as {@link Exchange#error()}.
     *
     * @throws InterruptedException when the calling thread was interrupted (the run is being
     *                              cancelled); the exchange is abandoned and must not be counted
     */
    Exchange execute() throws InterruptedException;

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
