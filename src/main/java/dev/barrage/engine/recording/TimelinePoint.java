package dev.barrage.engine.recording;

import java.util.Map;

/**
 * One interval of a run: requests that ended in it, their failures and latency percentiles (ms),
 * and the requests still in flight when it closed (p50, p90 and p99 of the requests that ended in it). {@code t} is the end of the interval in whole
 * seconds since the run started.
 *
 * @param targetRate     open model only (else null): the rate the plan asked for in this interval
 * @param delayed        open model only: requests in this interval that waited for a free worker
 * @param schedulerLagMs open model only: the most any request of this interval was sent after it was
 *                       due through the generator's own lateness (not counting requests held back
 *                       by {@code delayed} or {@code connectDelayed})
 * @param connectDelayed open model only: requests in this interval that waited for a new connection
 * @param dropped        open model only: requests that could not start before the duration ended
 * @param steps          tests with scenarios only (else null): per request step, its part of the interval
 */
public record TimelinePoint(long t, long requests, long failures, double throughput, double p50, double p90, double p99,
                            long inFlight, Double targetRate, Long delayed, Double schedulerLagMs,
                            Long connectDelayed, Long dropped, Map<String, StepPoint> steps) {
}
