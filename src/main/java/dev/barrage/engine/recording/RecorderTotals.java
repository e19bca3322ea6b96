package dev.barrage.engine.recording;

import java.io.Serializable;

/**
 * A recorder's running totals at the end of an interval, everything but its histograms: what a
 * generator ships beside its interval histograms so that a merge can add exactly what each
 * generator counted since its previous shipment. Status counts are sparse pairs
 * {@code [status, count, status, count, ...]}.
 *
 * <p>Immutable by convention: the arrays are never changed once made.
 *
 * @param intervalMaxLagNanos the most a request of this interval was late through the generator itself
 */
public record RecorderTotals(long successMicros, long failureMicros, long[] statusCounts, long[] errorCounts,
                             long bytesSent, long bytesReceived, long inFlight, long aborted, long delayed,
                             long connectDelayed, long dropped, long maxConnectDelayNanos, long intervalMaxLagNanos,
                             long inFlightAtDurationEnd, long[] checkCounts, long iterationsStarted,
                             long iterationsCompleted, long iterationsAborted, long iterationsInterrupted,
                             long bodiesTooLarge, StepTotals[] steps) implements Serializable {

    /** A step's running totals (scenario runs with more than one request step). */
    public record StepTotals(long successMicros, long failureMicros, long[] statusCounts, long[] errorCounts)
            implements Serializable {
    }

    /** What a recorder that has recorded nothing has: the baseline of a generator's first shipment. */
    static RecorderTotals none(int steps, int checkCounters, int errorKinds) {
        StepTotals[] empty = new StepTotals[steps];
        for (int i = 0; i < steps; i++) {
            empty[i] = new StepTotals(0, 0, new long[0], new long[errorKinds]);
        }
        return new RecorderTotals(0, 0, new long[0], new long[errorKinds], 0, 0, 0, 0, 0, 0, 0, 0, 0, -1,
                new long[checkCounters], 0, 0, 0, 0, 0, empty);
    }
}
