package dev.barrage.engine.pacing;

/** {@code perSecond} hits every second for {@code durationNanos}: hit n is due at n / rate. */
public record ConstantRate(double perSecond, long durationNanos) implements Pacer {

    public ConstantRate {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, was " + perSecond);
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    @Override
    public long dueNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("hit index must be >= 0");
        }
        if (perSecond == 0) {
            return NEVER;
        }
        if (n == 0) {
            return 0; // n times an infinite interval (a vanishing rate) would be NaN
        }
        double due = n * (1e9 / perSecond);
        return due < durationNanos ? (long) due : NEVER;
    }

    @Override
    public double rateAt(long elapsedNanos) {
        return elapsedNanos >= 0 && elapsedNanos < durationNanos ? perSecond : 0;
    }

    @Override
    public double hitsBefore(long elapsedNanos) {
        return perSecond * Math.clamp(elapsedNanos, 0, durationNanos) / 1e9;
    }
}
