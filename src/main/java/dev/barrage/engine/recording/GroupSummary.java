package dev.barrage.engine.recording;

import java.util.Map;

/**
 * The figures of one step or one scenario, as the run's totals give them for the whole run.
 * Immutable.
 *
 * @param checks the checks (and captures) of the step or scenario that passed and failed
 */
public record GroupSummary(long requests, long successes, long failures, double errorRate, double throughput,
                           LatencySummary latencyMs, Map<String, Long> statusCodes, Map<String, Long> errors,
                           CheckCounts checks) {
}
