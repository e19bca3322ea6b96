package dev.barrage.runs;

import java.time.Duration;

/**
 * What this Barrage lets a test ask for, and how many runs it keeps (settings {@code barrage.limits.*}).
 *
 * @param maxRunning runs applying load at the same time; more wait in the queue
 * @param maxQueued  runs waiting; beyond it a submission is refused with 429
 * @param retention  finished runs kept in memory
 */
public record RunLimits(int maxConcurrency, double maxRate, Duration maxDuration, int maxRunning, int maxQueued,
                        int retention) {

    public static final RunLimits DEFAULTS = new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 1000);

    public RunLimits {
        if (maxConcurrency < 1 || maxRate <= 0 || maxRunning < 1 || maxQueued < 0 || retention < 1
                || maxDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("limits must be positive (max-queued may be 0) and max-duration at least 1s");
        }
    }
}
