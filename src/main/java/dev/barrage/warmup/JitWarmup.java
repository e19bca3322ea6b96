package dev.barrage.warmup;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs slices of load, one kind after the other, until the JIT compiler has gone quiet: the warm-up
 * ends after a whole round of slices (one of each kind, in a row) in each of which compiling took at
 * most {@code quietShare} of the slice's time, or when {@code maxNanos} have passed, or when asked
 * to stop. A JVM that has compiled what a run needs no longer competes with the run for the core.
 *
 * <p>Thread-safety: one warm-up runs on one thread; {@code stop} may be set from any thread and is
 * read between slices.
 */
final class JitWarmup {

    /** One slice of load of one kind, lasting about the nanoseconds it is given. */
    interface Slice {
        void run(long nanos) throws InterruptedException;
    }

    /**
     * @param quiet         a whole round of slices compiled at most the quiet share
     * @param stopped       asked to stop before either end
     * @param elapsedNanos  from the first slice to the end
     * @param slices        slices run
     * @param compileMillis the JIT's compile time during the warm-up
     */
    record Outcome(boolean quiet, boolean stopped, long elapsedNanos, int slices, long compileMillis) {
    }

    private final List<Slice> slices;
    private final LongSupplier nanoTime;
    private final LongSupplier compileMillis;
    private final long sliceNanos;
    private final long maxNanos;
    private final double quietShare;

    /**
     * @param compileMillis the JIT's total compile time so far, in milliseconds, never decreasing
     * @param quietShare    the most compile time per slice time that still counts as quiet, 0..1
     */
    JitWarmup(List<Slice> slices, LongSupplier nanoTime, LongSupplier compileMillis, long sliceNanos,
              long maxNanos, double quietShare) {
        if (slices.isEmpty() || sliceNanos <= 0 || maxNanos <= 0 || quietShare < 0 || quietShare > 1) {
            throw new IllegalArgumentException("a warm-up needs slices, a positive slice and limit, a share in 0..1");
        }
        this.slices = List.copyOf(slices);
        this.nanoTime = nanoTime;
        this.compileMillis = compileMillis;
        this.sliceNanos = sliceNanos;
        this.maxNanos = maxNanos;
        this.quietShare = quietShare;
    }

    Outcome run(BooleanSupplier stop) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long compiledAtStart = compileMillis.getAsLong();
        int ran = 0;
        int quietInRow = 0;
        while (true) {
            long elapsed = nanoTime.getAsLong() - start;
            boolean quiet = quietInRow >= slices.size();
            boolean stopped = !quiet && stop.getAsBoolean();
            if (quiet || stopped || elapsed >= maxNanos) {
                return new Outcome(quiet, stopped, elapsed, ran, compileMillis.getAsLong() - compiledAtStart);
            }
            Slice slice = slices.get(ran % slices.size());
            long compiledBefore = compileMillis.getAsLong();
            long sliceStart = nanoTime.getAsLong();
            slice.run(Math.min(sliceNanos, maxNanos - elapsed));
            ran++;
            long took = nanoTime.getAsLong() - sliceStart;
            long compiled = compileMillis.getAsLong() - compiledBefore;
            quietInRow = compiled * 1_000_000.0 <= quietShare * took ? quietInRow + 1 : 0;
        }
    }
}
