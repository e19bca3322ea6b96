package dev.barrage.engine.transport;

/**
 * Sends a run's request. Thread-safety: a transport is shared by all workers of a run and must be
 * safe for concurrent {@link #openSession} calls; each session is confined to one worker thread.
 */
public interface Transport {

    /**
     * A new session with no connection yet; it connects lazily on its first exchange.
     *
     * @param strayBytes told when a response the session already returned proves to be followed by
     *                   bytes nobody asked for (see {@link StrayBytesListener})
     */
    TransportSession openSession(StrayBytesListener strayBytes);

    /** A session whose caller does not track responses after they were returned. */
    default TransportSession openSession() {
        return openSession(StrayBytesListener.IGNORE);
    }
}
