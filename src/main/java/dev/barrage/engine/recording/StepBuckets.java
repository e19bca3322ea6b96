package dev.barrage.engine.recording;

/** One step's latency in Prometheus buckets, by outcome. Immutable. */
public record StepBuckets(LatencyBuckets success, LatencyBuckets error) {
}
