package dev.barrage.runs;

/** Too many runs are waiting already; nothing was started or queued. */
public class RunQueueFullException extends RuntimeException {

    private final long retryAfterSeconds;

    public RunQueueFullException(int maxQueued, long retryAfterSeconds) {
        super("The queue is full: " + maxQueued + " runs are already waiting (barrage.limits.max-queued). "
                + "Retry after about " + retryAfterSeconds + " s, when the next running test is planned to end.");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
