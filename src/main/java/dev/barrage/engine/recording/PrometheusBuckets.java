package dev.barrage.engine.recording;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Folds a microsecond histogram into the fixed Prometheus buckets Barrage publishes. The bounds
 * span sub-millisecond loopback answers to minute-long stalls in a 1-2.5-5 progression, few
 * enough to keep a run's series cheap (17 buckets per outcome).
 */
final class PrometheusBuckets {

    static final double[] UPPER_BOUNDS_SECONDS = {
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5, 5, 10, 30, 60, Double.POSITIVE_INFINITY};

    private PrometheusBuckets() {
    }

    static LatencyBuckets of(AbstractHistogram micros, long sumMicros) {
        long[] counts = new long[UPPER_BOUNDS_SECONDS.length];
        for (HistogramIterationValue value : micros.recordedValues()) {
            double seconds = micros.lowestEquivalentValue(value.getValueIteratedTo()) / 1e6;
            counts[bucketOf(seconds)] += value.getCountAddedInThisIterationStep();
        }
        return new LatencyBuckets(UPPER_BOUNDS_SECONDS, counts, sumMicros / 1e6);
    }

    private static int bucketOf(double seconds) {
        int i = 0;
        while (seconds > UPPER_BOUNDS_SECONDS[i]) {
            i++;
        }
        return i;
    }
}
