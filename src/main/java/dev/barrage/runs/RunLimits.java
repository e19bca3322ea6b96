package dev.barrage.runs;

import java.time.Duration;

/**
 * What this Barrage lets a test ask for, and how much it keeps (settings {@code barrage.limits.*}).
 *
 * @param maxRunning         runs applying load at the same time; more wait in the queue
 * @param maxQueued          runs waiting; beyond it a submission is refused with 429
 * @param retention          finished runs kept in memory
 * @param maxDefinitionBytes the largest request body POST /tests reads (413 beyond it)
 * @param retainedBytes      what all runs in memory may hold together (definitions and timelines,
 *                           estimated): the oldest finished runs are evicted to stay under it, and a
 *                           submission that unfinished runs alone would push over it is refused (429)
 * @param maxDataBytes       the largest {@code data} (CSV text or rows) a test may carry
 * @param maxBodyBytes       how much of a response body a step that checks or captures from it keeps,
 *                           per virtual user (the rest is discarded; what reads it fails)
 */
public record RunLimits(int maxConcurrency, double maxRate, Duration maxDuration, int maxRunning, int maxQueued,
                        int retention, long maxDefinitionBytes, long retainedBytes, long maxDataBytes, int maxBodyBytes) {

    public static final long DEFAULT_MAX_DATA_BYTES = 1024L * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public static final long DEFAULT_MAX_DEFINITION_BYTES = 2L * 1024 * 1024;
    public static final long DEFAULT_RETAINED_BYTES = 64L * 1024 * 1024;
    public static final RunLimits DEFAULTS = new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 1000);

    public RunLimits {
        if (maxConcurrency < 1 || maxRate <= 0 || maxRunning < 1 || maxQueued < 0 || retention < 1
                || maxDuration.compareTo(Duration.ofSeconds(1)) < 0 || maxDefinitionBytes < 1024
                || retainedBytes < maxDefinitionBytes || maxDataBytes < 1 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("limits must be positive (max-queued may be 0), max-duration at least 1s,"
                    + " max-definition-size at least 1KB and retained-bytes at least max-definition-size");
        }
    }

    /** With the default data and response body bounds. */
    public RunLimits(int maxConcurrency, double maxRate, Duration maxDuration, int maxRunning, int maxQueued,
                     int retention, long maxDefinitionBytes, long retainedBytes) {
        this(maxConcurrency, maxRate, maxDuration, maxRunning, maxQueued, retention, maxDefinitionBytes, retainedBytes,
                DEFAULT_MAX_DATA_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /** With the default definition size and memory bounds. */
    public RunLimits(int maxConcurrency, double maxRate, Duration maxDuration, int maxRunning, int maxQueued, int retention) {
        this(maxConcurrency, maxRate, maxDuration, maxRunning, maxQueued, retention, DEFAULT_MAX_DEFINITION_BYTES,
                DEFAULT_RETAINED_BYTES);
    }
}
