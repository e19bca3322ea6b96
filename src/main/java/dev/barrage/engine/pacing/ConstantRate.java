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
        // the plan is exactly rate x duration hits: n / rate < duration, compared without the rounding of
        // 1e9 / rate (at 900/s, n * (1e9 / 900) put a 901st hit at 999.999999 ms of a 1 s run)
        if (n >= perSecond * durationNanos / 1e9) {
            return NEVER;
        }
        return Math.min((long) (n * 1e9 / perSecond), durationNanos - 1);
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
