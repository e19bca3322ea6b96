package dev.barrage.engine.transport;

/**
 * What an {@link EventLoop} runs between its selects besides the I/O: the open model's schedule,
 * which starts each request when it is due. The loop waits for I/O no longer than the driver asks.
 *
 * <p>Thread-safety: both methods are called on the loop's thread only.
 */
public interface LoopDriver {

    /** A loop with nothing to run but its sessions' I/O. */
    LoopDriver NONE = new LoopDriver() {
        @Override
        public long nanosUntilNextTurn() {
            return Long.MAX_VALUE;
        }

        @Override
        public void turn() {
        }
    };

    /** How long the loop may wait for I/O before it must call {@link #turn()} (0 or less: at once). */
    long nanosUntilNextTurn();

    /** Does what is due now; runs on every turn of the loop, at the latest when the wait asked for is up. */
    void turn();
}
