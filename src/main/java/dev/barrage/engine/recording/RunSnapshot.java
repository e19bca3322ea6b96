package dev.barrage.engine.recording;

import java.util.List;

/**
 * An immutable picture of a run taken on the aggregation lane. Readers (REST, Prometheus) share it
 * freely and never compute anything from the hot-path recorders themselves.
 */
public record RunSnapshot(Summary summary, List<TimelinePoint> timeline, long inFlight,
                          LatencyBuckets successLatency, LatencyBuckets errorLatency) {

    private static final RunSnapshot EMPTY = new RunSampler(new RunRecorder(StatusRange.DEFAULT)).sample(0, false);

    /** A run with nothing recorded yet. */
    public static RunSnapshot empty() {
        return EMPTY;
    }
}
