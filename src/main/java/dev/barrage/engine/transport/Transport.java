package dev.barrage.engine.transport;

/**
 * Sends a run's request. Thread-safety: a transport is shared by all workers of a run and must be
 * safe for concurrent {@link #openSession()} calls; each session is confined to one worker thread.
 */
public interface Transport {

    /** A new session with no connection yet; it connects lazily on its first exchange. */
    TransportSession openSession();
}
