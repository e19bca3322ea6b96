package dev.barrage.engine.pacing;

/**
 * When each request of an open-model run is due, as a pure function of its index: hit {@code n} is
 * due {@code dueNanos(n)} after the start, never "now + 1/rate", so the schedule cannot drift however
 * late the generator runs. No clock and no sleeping in here; the engine owns time.
 *
 * <p>The expected number of hits by time t is the integral of the rate over [0, t); hit n is due at the
 * t where that integral reaches n, so hit 0 is due at the start when the rate there is positive.
 *
 * <p>Thread-safety: implementations are immutable records.
 */
public sealed interface Pacer permits ConstantRate, LinearRamp, Stages {

    /** Returned by {@link #dueNanos} for a hit that falls at or after the end of the plan. */
    long NEVER = Long.MAX_VALUE;

    /** Nanoseconds after the start at which hit {@code n} (0-based) is due, or {@link #NEVER}. */
    long dueNanos(long n);

    /** Length of the plan in nanoseconds. */
    long durationNanos();

    /** The requested rate, in hits per second, at {@code elapsedNanos} after the start. */
    double rateAt(long elapsedNanos);

    /** Expected hits due before {@code elapsedNanos}: the integral of the rate (fractional). */
    double hitsBefore(long elapsedNanos);

    /**
     * Total hits the plan sends: the hits due strictly before its end, that is the first index whose
     * {@link #dueNanos} is {@link #NEVER}, found by search so it agrees with {@code dueNanos} exactly.
     */
    default long totalHits() {
        long high = Math.max(1, (long) Math.ceil(hitsBefore(durationNanos())));
        while (dueNanos(high) != NEVER) {
            high = Math.multiplyExact(high, 2);
        }
        long low = 0; // invariant: dueNanos(low - 1) is a hit (or low == 0), dueNanos(high) is NEVER
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (dueNanos(middle) == NEVER) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /**
     * How long to wait before the next hit, given the time elapsed and the hits sent so far
     * (vegeta's question); negative when it is overdue, {@link #NEVER} when the plan is done.
     */
    default long waitNanos(long elapsedNanos, long hitsSent) {
        long due = dueNanos(hitsSent);
        return due == NEVER ? NEVER : due - elapsedNanos;
    }
}
