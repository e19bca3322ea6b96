package dev.barrage.engine.recording;

import java.util.Map;

/**
 * What a run did, exactly: every request that started and ended is in {@code requests}, split into
 * successes and failures; {@code statusCodes} counts responses by code, {@code errors} transport
 * failures by kind. Immutable.
 *
 * @param serviceTimeMs open model only (else null): latency from the actual send instead of the due time
 * @param targetRate    open model only (else null): the planned average rate in requests per second
 * @param delayed        open model only (else null): requests that started late because
 *                       {@code maxConcurrency} requests were already in flight
 * @param connectDelayed open model only (else null): requests that started late because they waited
 *                       for a new connection to the target to be set up
 * @param dropped        open model only (else null): requests due before the end of the duration
 *                       that could not start by then, so were never sent; {@code requests + dropped}
 *                       is the plan (of iterations, for scenarios: {@code iterations.started + dropped})
 * @param iterations     the scenarios' iterations (a single request's iteration is that request)
 * @param checks         every check's passes and failures, apart from request failures
 * @param scenarios      per scenario, its figures
 * @param steps          per request step, its figures ({@code request} for a single-request test)
 */
public record Summary(long requests, long successes, long failures, double errorRate, double throughput,
                      double elapsedSeconds, long bytesReceived, long bytesSent, LatencySummary latencyMs,
                      Map<String, Long> statusCodes, Map<String, Long> errors,
                      LatencySummary serviceTimeMs, Double targetRate, Long delayed, Long connectDelayed,
                      Long dropped, Iterations iterations, Checks checks, Map<String, GroupSummary> scenarios,
                      Map<String, GroupSummary> steps) {
}
