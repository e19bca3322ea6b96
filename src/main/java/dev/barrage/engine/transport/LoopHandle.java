package dev.barrage.engine.transport;

/**
 * A session of an {@link EventLoop} as its owner sees it.
 *
 * <p>Thread-safety: {@link #resume()} is called on the session's loop thread only.
 */
public interface LoopHandle {

    /**
     * Asks a session that chose {@link LoopUser.Next#WAIT} for its next request again; does nothing to
     * a session that is not waiting.
     */
    void resume();
}
