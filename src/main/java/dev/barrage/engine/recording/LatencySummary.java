package dev.barrage.engine.recording;

import org.HdrHistogram.AbstractHistogram;

/** Latency distribution in milliseconds with microsecond precision; all zero when nothing was recorded. */
public record LatencySummary(double min, double mean, double p50, double p90, double p95, double p99,
                             double p999, double max) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);

    static LatencySummary of(AbstractHistogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(
                LatencyScale.toMillis(micros.getMinValue()),
                Math.round(micros.getMean()) / 1000.0,
                percentile(micros, 50),
                percentile(micros, 90),
                percentile(micros, 95),
                percentile(micros, 99),
                percentile(micros, 99.9),
                LatencyScale.toMillis(micros.getMaxValue()));
    }

    static double percentile(AbstractHistogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : LatencyScale.toMillis(micros.getValueAtPercentile(percentile));
    }
}
