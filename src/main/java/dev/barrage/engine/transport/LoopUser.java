package dev.barrage.engine.transport;

/**
 * Whoever sends requests through an {@link EventLoop} session: a virtual user that is a state
 * machine instead of a thread. The loop asks it before every request whether to send one, and tells
 * it how each ended.
 *
 * <p>Thread-safety: every method is called on the session's loop thread only, one call at a time.
 */
public interface LoopUser extends StrayBytesListener {

    /** What a session does next. */
    enum Next {
        /** Send the request now: it is sent once, and exactly one of {@link #exchangeEnded} or {@link #exchangeAbandoned} follows. */
        SEND,
        /** Keep the connection open and wait, holding no thread, until the session is {@link LoopHandle#resume() resumed}. */
        WAIT,
        /** End the session: its connection is closed, and no call follows. */
        END
    }

    /**
     * The session may send its next request now: it has just joined the loop, its previous exchange
     * has just ended, or it was resumed after waiting.
     */
    Next nextRequest();

    /**
     * The session's connection is established, just before the request is written: a request that
     * had to open one is sent from now on.
     */
    default void connected() {
    }

    /**
     * The request ended with a response ({@code error} null, {@code status} its status) or a failure
     * ({@code error} set, {@code status} 0), as an {@link Exchange} would say; given as values, since a
     * record per response was most of what a run allocated, and its young collections paused the loops.
     */
    void exchangeEnded(int status, ErrorKind error, long bytesSent, long bytesReceived);

    /** The run was cancelled while the request was in flight: it is abandoned and must not be counted. */
    void exchangeAbandoned();
}
