package dev.barrage.engine.recording;

import java.util.Map;

/**
 * What a run did, exactly: every request that started and ended is in {@code requests}, split into
 * successes and failures; {@code statusCodes} counts responses by code, {@code errors} transport
 * failures by kind. Immutable.
 */
public record Summary(long requests, long successes, long failures, double errorRate, double throughput,
                      double elapsedSeconds, long bytesReceived, long bytesSent, LatencySummary latencyMs,
                      Map<String, Long> statusCodes, Map<String, Long> errors) {
}
