package dev.barrage.warmup;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs slices of load, one kind after the other, until the JIT compiler has compiled what the load
 * runs and gone quiet: the warm-up ends after a whole round of slices (one of each kind, in a row)
 * in each of which compiling took at most {@code quietShare} of the slice's time, counted only once
 * every kind has sent {@code minRequestsPerKind} requests; or when {@code maxNanos} have passed, or
 * when asked to stop. A JVM that has compiled what a run needs no longer competes with the run for
 * the core.
 *
 * <p>Why a floor as well as quiet: a method reaches the optimising compiler only after thousands of
 * calls (more under {@code -XX:CompileThresholdScaling}), so a JIT can be quiet because little has
 * reached its thresholds yet, not because the request path is compiled ({@link JitThresholds}).
 *
 * <p>Thread-safety: one warm-up runs on one thread; {@code stop} may be set from any thread and is
 * read between slices.
 */
final class JitWarmup {

    /** One slice of load of one kind, lasting about the nanoseconds it is given; answers the requests it sent. */
    interface Slice {
        long run(long nanos) throws InterruptedException;
    }

    /**
     * @param quiet         a whole round of slices compiled at most the quiet share
     * @param stopped       asked to stop before either end
     * @param elapsedNanos  from the first slice to the end
     * @param slices        slices run
     * @param requests      requests the slices sent
     * @param compileMillis the JIT's compile time during the warm-up
     */
    record Outcome(boolean quiet, boolean stopped, long elapsedNanos, int slices, long requests, long compileMillis) {
    }

    private final List<Slice> slices;
    private final LongSupplier nanoTime;
    private final LongSupplier compileMillis;
    private final long sliceNanos;
    private final long maxNanos;
    private final double quietShare;
    private final long minRequestsPerKind;

    /**
     * @param compileMillis      the JIT's total compile time so far, in milliseconds, never decreasing
     * @param quietShare         the most compile time per slice time that still counts as quiet, 0..1
     * @param minRequestsPerKind the requests each kind of slice sends before quiet counts
     */
    JitWarmup(List<Slice> slices, LongSupplier nanoTime, LongSupplier compileMillis, long sliceNanos,
              long maxNanos, double quietShare, long minRequestsPerKind) {
        if (slices.isEmpty() || sliceNanos <= 0 || maxNanos <= 0 || quietShare < 0 || quietShare > 1
                || minRequestsPerKind < 0) {
            throw new IllegalArgumentException(
                    "a warm-up needs slices, a positive slice and limit, a share in 0..1, a floor of 0 or more");
        }
        this.slices = List.copyOf(slices);
        this.nanoTime = nanoTime;
        this.compileMillis = compileMillis;
        this.sliceNanos = sliceNanos;
        this.maxNanos = maxNanos;
        this.quietShare = quietShare;
        this.minRequestsPerKind = minRequestsPerKind;
    }

    Outcome run(BooleanSupplier stop) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long compiledAtStart = compileMillis.getAsLong();
        long[] sentByKind = new long[slices.size()];
        int ran = 0;
        int quietInRow = 0;
        while (true) {
            long elapsed = nanoTime.getAsLong() - start;
            boolean quiet = quietInRow >= slices.size();
            boolean stopped = !quiet && stop.getAsBoolean();
            if (quiet || stopped || elapsed >= maxNanos) {
                return new Outcome(quiet, stopped, elapsed, ran, Arrays.stream(sentByKind).sum(),
                        compileMillis.getAsLong() - compiledAtStart);
            }
            int kind = ran % slices.size();
            long compiledBefore = compileMillis.getAsLong();
            long sliceStart = nanoTime.getAsLong();
            sentByKind[kind] += slices.get(kind).run(Math.min(sliceNanos, maxNanos - elapsed));
            ran++;
            long took = nanoTime.getAsLong() - sliceStart;
            long compiled = compileMillis.getAsLong() - compiledBefore;
            boolean quietSlice = compiled * 1_000_000.0 <= quietShare * took;
            quietInRow = quietSlice && everyKindSent(sentByKind) ? quietInRow + 1 : 0;
        }
    }

    private boolean everyKindSent(long[] sentByKind) {
        return Arrays.stream(sentByKind).allMatch(sent -> sent >= minRequestsPerKind);
    }
}
