package dev.barrage.engine.recording;

/** One step's part of a timeline interval: requests that ended in it, failures, latency percentiles (ms). */
public record StepPoint(long requests, long failures, double p50, double p99) {
}
