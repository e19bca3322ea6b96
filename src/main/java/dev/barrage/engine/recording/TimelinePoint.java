package dev.barrage.engine.recording;

/**
 * One interval of a run: requests that ended in it, their failures and latency percentiles (ms),
 * and the requests still in flight when it closed. {@code t} is the end of the interval in whole
 * seconds since the run started.
 */
public record TimelinePoint(long t, long requests, long failures, double throughput, double p50, double p99,
                            long inFlight) {
}
