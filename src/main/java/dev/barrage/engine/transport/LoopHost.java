package dev.barrage.engine.transport;

/**
 * What a {@link LoopDriver} asks of the loop that runs it: {@link EventLoop}, or a test's stand-in.
 *
 * <p>Thread-safety: as {@link EventLoop}'s methods of the same names.
 */
public interface LoopHost {

    /** Adds a user: on the loop's next turn it is asked for its first request. */
    LoopHandle add(LoopUser user);

    /** No user will be added any more: the loop ends once the last session has. */
    void finish();
}
