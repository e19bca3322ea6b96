package dev.barrage.runs;

/** Too many runs are waiting already; nothing was started or queued. */
public class RunQueueFullException extends RuntimeException {

    private final long retryAfterSeconds;

    public RunQueueFullException(int maxQueued, long retryAfterSeconds) {
        super("The queue is full: " + maxQueued + " runs are already waiting (barrage.limits.max-queued). "
                + "Retry after about " + retryAfterSeconds + " s, when the next running test is planned to end.");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The runs not yet finished hold so much that this one would pass {@code barrage.limits.retained-bytes}. */
    public RunQueueFullException(long unfinishedBytes, long submittedBytes, long budget, long retryAfterSeconds) {
        super("The runs not yet finished hold about " + unfinishedBytes / 1024 + " KiB of definitions and results; with this one ("
                + submittedBytes / 1024 + " KiB) they would pass barrage.limits.retained-bytes (" + budget / 1024 + " KiB). "
                + "Retry after about " + retryAfterSeconds + " s, when the next running test is planned to end.");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
