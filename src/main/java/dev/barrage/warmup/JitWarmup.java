package dev.barrage.warmup;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs slices of load, one kind after the other, until the JIT compiler has compiled what the load
 * runs and gone quiet: the warm-up ends once the JIT was quiet (compiling at most {@code quietShare}
 * of the slice's time, by its threads' CPU time, {@link CompilerCpu}) through a whole round of slices
 * (one of each kind, in a row), and every kind has sent {@code minRequestsPerKind} requests since the
 * JIT was last busy (compiling more than {@link #BUSY_SHARE} of a slice); or when {@code maxNanos}
 * have passed, or when asked to stop. A JVM that has compiled what a run needs no longer competes
 * with the run for the core.
 *
 * <p>Why requests as well as quiet, counted from the last busy slice: a method reaches the optimising
 * compiler (C2) only after thousands of calls counted from when C1's profiling code for it was
 * installed, which HotSpot puts off while C2's queue is long, and it raises C2's threshold with the
 * queue too. So a JIT can be quiet because the run's methods are still climbing towards C2's
 * threshold, not because they are compiled: the first run then compiled the open model's
 * per-request methods in its first seconds (docs/performance.md, "The warm-up counts the compilers'
 * CPU"). Requests enough for a method called once per request to cross the threshold ({@link
 * JitThresholds}), sent since the queue was last long, left the run less than half the compiling it
 * had (a median of 94 ms of JIT CPU in its first 3 s, against 163–234). Quiet alone cannot mark that
 * point: a warmed JVM under load still begins a C2 compilation or a few every second, up to 160 ms
 * of CPU, so a rule that started the count again at every such compilation never ended before its
 * limit.
 *
 * <p>Thread-safety: one warm-up runs on one thread; {@code stop} may be set from any thread and is
 * read between slices.
 */
final class JitWarmup {

    /**
     * A slice in which the compilers used more than this share of its time worked through most of it:
     * their queue was long. Below it they were idle most of the slice, their queue was short, and the
     * threshold HotSpot scales with the queue was near its base.
     */
    static final double BUSY_SHARE = 0.25;

    /** One slice of load of one kind, lasting about the nanoseconds it is given; answers the requests it sent. */
    interface Slice {
        long run(long nanos) throws InterruptedException;
    }

    /**
     * @param quiet         the JIT was quiet through a whole round, each kind having sent its floor since it was last busy
     * @param stopped       asked to stop before either end
     * @param elapsedNanos  from the first slice to the end
     * @param slices        slices run
     * @param requests      requests the slices sent
     * @param compileMillis the JIT's compile time during the warm-up, in the supplier's terms
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
     * @param compileMillis      the JIT's compile time so far (its threads' CPU time), in milliseconds, never decreasing
     * @param quietShare         the most compile time per slice time that still counts as quiet, 0..1
     * @param minRequestsPerKind the requests each kind of slice sends, since the JIT was last busy, before the warm-up ends
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
        long sent = 0;
        long[] sentSinceBusy = new long[slices.size()];
        int ran = 0;
        int quietInRow = 0;
        while (true) {
            long elapsed = nanoTime.getAsLong() - start;
            boolean quiet = quietInRow >= slices.size() && everyKindSent(sentSinceBusy);
            boolean stopped = !quiet && stop.getAsBoolean();
            if (quiet || stopped || elapsed >= maxNanos) {
                return new Outcome(quiet, stopped, elapsed, ran, sent, compileMillis.getAsLong() - compiledAtStart);
            }
            int kind = ran % slices.size();
            long compiledBefore = compileMillis.getAsLong();
            long sliceStart = nanoTime.getAsLong();
            long sliceSent = slices.get(kind).run(Math.min(sliceNanos, maxNanos - elapsed));
            ran++;
            sent += sliceSent;
            long took = nanoTime.getAsLong() - sliceStart;
            long compiled = compileMillis.getAsLong() - compiledBefore;
            double share = compiled * 1_000_000.0 / Math.max(1, took);
            quietInRow = share <= quietShare ? quietInRow + 1 : 0;
            if (share > BUSY_SHARE) {
                Arrays.fill(sentSinceBusy, 0);
            } else {
                sentSinceBusy[kind] += sliceSent;
            }
        }
    }

    private boolean everyKindSent(long[] sentByKind) {
        return Arrays.stream(sentByKind).allMatch(kindSent -> kindSent >= minRequestsPerKind);
    }
}
