package dev.barrage.engine.transport;

/**
 * What a {@link LoopDriver} asks of the loop that runs it: {@link EventLoop}, or a test's stand-in.
 *
 * <p>Thread-safety: as {@link EventLoop}'s methods of the same names.
 */
public interface LoopHost {

    /** Adds a user: on the loop's next turn it is asked for its first request. */
    LoopHandle add(LoopUser user);

    /**
     * Adds users whose connections are opened now, all at once, on the calling thread, ahead of their
     * first requests: only before the loop runs, on its thread or on one that starts that thread
     * afterwards. Nothing is sent and nothing is counted here; on the loop's first turn each user
     * that was connected is asked for its first request, as one {@link #add added} is.
     *
     * @param deadlineNanos when to give up (on {@link System#nanoTime()}) on the connects still under way
     * @return each user's handle, in the order given; null for a user whose connection could not be
     *         opened by then (refused, not allowed, timed out or interrupted): that user is not added,
     *         and a request that finds no connection opens its own
     */
    LoopHandle[] addConnected(LoopUser[] users, long deadlineNanos);

    /** No user will be added any more: the loop ends once the last session has. */
    void finish();
}
