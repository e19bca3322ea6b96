package dev.barrage.engine.recording;

import java.util.Arrays;

/**
 * Latencies in seconds counted into fixed buckets: {@code counts[i]} values fell in
 * ({@code upperBoundsSeconds[i-1]}, {@code upperBoundsSeconds[i]}]; the last bound is +Inf.
 * Immutable by convention: the arrays are never written after construction.
 */
public record LatencyBuckets(double[] upperBoundsSeconds, long[] counts, double sumSeconds) {

    public long count() {
        return Arrays.stream(counts).sum();
    }
}
