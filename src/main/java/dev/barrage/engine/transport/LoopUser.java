package dev.barrage.engine.transport;

/**
 * Whoever sends requests through an {@link EventLoop} session: a closed-model virtual user that is
 * a state machine instead of a thread. The loop asks it before every request whether to send one,
 * and tells it how each ended.
 *
 * <p>Thread-safety: every method is called on the session's loop thread only, one call at a time.
 */
public interface LoopUser extends StrayBytesListener {

    /**
     * The session may send its next request now (it has just joined the loop, or its previous
     * exchange has just ended). Returning true commits to it: the request is sent once, and exactly
     * one of {@link #exchangeEnded} or {@link #exchangeAbandoned} follows.
     *
     * @return false to end the session: its connection is closed, and no call follows
     */
    boolean nextRequest();

    /** The request ended with a response or a failure. */
    void exchangeEnded(Exchange exchange);

    /** The run was cancelled while the request was in flight: it is abandoned and must not be counted. */
    void exchangeAbandoned();
}
