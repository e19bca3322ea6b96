package dev.barrage.engine.recording;

import java.util.List;
import java.util.Map;

/**
 * An immutable picture of a run taken on the aggregation lane. Readers (REST, Prometheus) share it
 * freely and never compute anything from the hot-path recorders themselves.
 */
public record RunSnapshot(Summary summary, List<TimelinePoint> timeline, long inFlight,
                          LatencyBuckets successLatency, LatencyBuckets errorLatency, Map<String, StepBuckets> stepLatency) {

    private static final RunSnapshot EMPTY = withoutGroups(new RunSampler(new RunRecorder(StatusRange.DEFAULT)).sample(0, false));

    /** A run with nothing recorded yet (and no steps or scenarios yet: it may not have started). */
    public static RunSnapshot empty() {
        return EMPTY;
    }

    private static RunSnapshot withoutGroups(RunSnapshot snapshot) {
        Summary s = snapshot.summary();
        Summary summary = new Summary(s.requests(), s.successes(), s.failures(), s.errorRate(), s.throughput(),
                s.elapsedSeconds(), s.bytesReceived(), s.bytesSent(), s.latencyMs(), s.statusCodes(), s.errors(),
                s.serviceTimeMs(), s.targetRate(), s.delayed(), s.connectDelayed(), s.dropped(), s.iterations(), s.checks(),
                Map.of(), Map.of());
        return new RunSnapshot(summary, snapshot.timeline(), snapshot.inFlight(), snapshot.successLatency(),
                snapshot.errorLatency(), Map.of());
    }
}
